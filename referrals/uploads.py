"""Evidence files: the type is decided by the content (magic bytes), never by the name.

Accepted: PDF, Word (.docx, a ZIP package holding word/document.xml; .doc, an OLE2
compound file), PNG and JPEG. The ZIP's directory is read to tell a .docx from any other
ZIP; nothing is decompressed.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from typing import IO, Final

from django.conf import settings

from referrals import errors

PDF: Final = b"%PDF-"
PNG: Final = b"\x89PNG\r\n\x1a\n"
JPEG: Final = b"\xff\xd8\xff"
OLE2: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 (.doc)
ZIP: Final = b"PK\x03\x04"
DOCX_PART: Final = "word/document.xml"
MAX_FILES_PER_SUBMISSION: Final = 10


class UploadRejected(ValueError):
    pass


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    label: str


TYPES: Final = {
    "pdf": FileType("application/pdf", ".pdf", "PDF"),
    "png": FileType("image/png", ".png", "PNG image"),
    "jpeg": FileType("image/jpeg", ".jpg", "JPEG image"),
    "doc": FileType("application/msword", ".doc", "Word document"),
    "docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
        "Word document",
    ),
}


def sniff(stream: IO[bytes]) -> FileType | None:
    """The file's real type from its first bytes (and a .docx's package directory)."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if head.startswith(PDF):
        return TYPES["pdf"]
    if head.startswith(PNG):
        return TYPES["png"]
    if head.startswith(JPEG):
        return TYPES["jpeg"]
    if head.startswith(OLE2):
        return TYPES["doc"]
    if head.startswith(ZIP):
        try:
            with zipfile.ZipFile(stream) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            stream.seek(0)
        if DOCX_PART in names and "[Content_Types].xml" in names:
            return TYPES["docx"]
    return None


def max_bytes() -> int:
    return int(settings.DFD_EVIDENCE_MAX_BYTES)


def human_size(size: int) -> str:
    return f"{size // (1024 * 1024)}MB" if size >= 1024 * 1024 else f"{size // 1024}KB"


@dataclass(frozen=True)
class CheckedUpload:
    file_type: FileType
    size: int
    sha256: str


def check_upload(stream: IO[bytes], size: int) -> CheckedUpload:
    """Refuse an empty, oversized or wrongly typed file, with the GOV.UK error text."""
    if size == 0:
        raise UploadRejected(errors.EVIDENCE_EMPTY)
    if size > max_bytes():
        raise UploadRejected(errors.EVIDENCE_TOO_BIG.format(limit=human_size(max_bytes())))
    file_type = sniff(stream)
    if file_type is None:
        raise UploadRejected(errors.EVIDENCE_TYPE)
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(65536), b""):
        digest.update(chunk)
    stream.seek(0)
    return CheckedUpload(file_type, size, digest.hexdigest())


UNKNOWN_TYPE: Final = FileType("application/octet-stream", ".bin", "file")
_UNSAFE_NAME_CHARACTERS = re.compile(r"[^A-Za-z0-9_-]+")


def download_name(original_name: str, file_type: FileType, fallback: str) -> str:
    """A safe name to save a file under: the uploaded name's last part, reduced to letters,
    digits, hyphens and underscores (each run of anything else becomes one hyphen), with the
    extension of the file's real type.

    "../../evil.html" holding a PDF downloads as "evil.pdf"; a name with nothing left of it
    becomes `fallback` (e.g. "evidence-12")."""
    last_part = re.split(r"[\\/]", original_name or "")[-1]
    stem = last_part.rsplit(".", 1)[0] if "." in last_part.lstrip(".") else last_part
    stem = _UNSAFE_NAME_CHARACTERS.sub("-", stem).strip("-_")[:100].strip("-_")
    return f"{stem or fallback}{file_type.extension}"


def stored_type(stream: IO[bytes]) -> FileType:
    """The stored file's real type, read again from its bytes when it is served."""
    return sniff(stream) or UNKNOWN_TYPE
