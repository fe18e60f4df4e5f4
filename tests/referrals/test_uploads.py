"""Evidence files are typed by their content, never by their name."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import override_settings

from referrals import errors
from referrals.uploads import UploadRejected, check_upload, sniff


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("payload.exe", "MZ")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        pytest.param(b"%PDF-1.7\n...", "application/pdf", id="pdf"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", "image/png", id="png"),
        pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg", id="jpeg"),
        pytest.param(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 8,
            "application/msword",
            id="word-97-doc",
        ),
        pytest.param(
            docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            id="docx",
        ),
    ],
)
def test_accepted_types_are_recognised_by_content(content, content_type):  # type: ignore[no-untyped-def]
    assert sniff(io.BytesIO(content)).content_type == content_type
    checked = check_upload(io.BytesIO(content), len(content))
    assert checked.file_type.content_type == content_type and len(checked.sha256) == 64


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"This is a letter, renamed letter.pdf", id="text-named-pdf"),
        pytest.param(plain_zip(), id="a-zip-that-is-not-word"),
        pytest.param(b"PK\x03\x04broken", id="a-broken-zip"),
        pytest.param(b"GIF89a......", id="gif"),
        pytest.param(b"<html><script>alert(1)</script>", id="html"),
    ],
)
def test_other_content_is_refused(content):  # type: ignore[no-untyped-def]
    with pytest.raises(
        UploadRejected,
        match=errors.EVIDENCE_TYPE.replace("(", r"\(").replace(")", r"\)").replace(".", r"\."),
    ):
        check_upload(io.BytesIO(content), len(content))


def test_empty_and_oversized_files_are_refused():  # type: ignore[no-untyped-def]
    with pytest.raises(UploadRejected, match=errors.EVIDENCE_EMPTY):
        check_upload(io.BytesIO(b""), 0)
    with (
        override_settings(DFD_EVIDENCE_MAX_BYTES=1024),
        pytest.raises(UploadRejected, match="smaller than 1KB"),
    ):
        check_upload(io.BytesIO(b"%PDF-" + b"x" * 2000), 2005)
