"""Files uploaded in the browser: receive, check (preview), confirm, apply — and who may see them.

A school's staff send their own school's MIS exports (marks, pupils, CTF); service
administrators may also send the authority's files (calendar, schools) for any school or
none. The file is kept privately under MEDIA_ROOT/imports/ (never served) and recorded as an
ImportBatch at once; `upload_check` fills in what applying it would change (writing nothing
else), and `upload_apply` applies it through `schools.imports.services.import_run`, into the
same ImportBatch. Small files are checked and applied in the request; larger ones by the
`schools.check_import` and `schools.apply_import` tasks.

Status of an upload's ImportBatch:
    received -> previewed | rejected | unchanged     (upload_check)
    previewed -> processing                           (upload_confirm, once)
    processing -> applied | rejected | unchanged      (upload_apply)
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from kpas.base.audit import AuditAction, audit_record
from kpas.base.models import User
from kpas.base.roles import SCHOOL_ROLES, Role
from schools.import_registry import (
    UnknownImportKind,
    Uploaders,
    import_kind_get,
    import_kinds_for,
)
from schools.imports.services import import_preview, import_run
from schools.models import ImportBatch, School, SchoolMembership
from schools.selectors import school_list_for

logger = logging.getLogger(__name__)

Status = ImportBatch.Status


# What the check of an uploaded file found, as the audit log names it.
CHECKED_ACTIONS: dict[str, AuditAction] = {
    ImportBatch.Status.PREVIEWED: AuditAction.IMPORT_CHECKED_PREVIEWED,
    ImportBatch.Status.REJECTED: AuditAction.IMPORT_CHECKED_REJECTED,
    ImportBatch.Status.UNCHANGED: AuditAction.IMPORT_CHECKED_UNCHANGED,
}


FINISHED: Final = frozenset(
    {Status.APPLIED, Status.REJECTED, Status.UNCHANGED, Status.FAILED, Status.CANCELLED}
)
# Files up to this size are checked and applied while the person waits; larger ones by a
# worker, with a progress page. A marks CSV row is ~40 bytes: this is ~12,000 marks.
INLINE_MAX_BYTES: Final = 512 * 1024
STORAGE_DIR: Final = "imports"
SNIFF_BYTES: Final = 8192

# Error texts (GOV.UK file upload pattern); tests import these.
CHOOSE_FILE: Final = "Select a file to upload"
CHOOSE_KIND: Final = "Select what the file contains"
FILE_EMPTY: Final = "The selected file is empty"
FILE_TOO_LARGE: Final = "The selected file must be smaller than {limit}"
MUST_BE_CSV: Final = "The selected file must be a CSV"
MUST_BE_XML: Final = "The selected file must be an XML Common Transfer File"
IS_PDF: Final = (
    "The selected file is a PDF. Export the data from your MIS as {what} and upload that"
)
IS_SPREADSHEET: Final = (
    "The selected file is a spreadsheet or a ZIP file. Save it as CSV UTF-8 and upload that"
)
IS_XML_NOT_CSV: Final = (
    "The selected file is XML, not a CSV. If it is a Common Transfer File, choose "
    "Common Transfer File (XML) as what it contains"
)
IS_BINARY: Final = "The selected file is not a text file. Upload a {what}"


def megabytes(size: int) -> str:
    """A size limit as people read it: '200 MB', '512 KB', '100 bytes'."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{round(size / scale, 1):g} {unit}"
    return f"{size} bytes"


# --- who may do what ------------------------------------------------------------------------
def upload_kinds_for(user: User, school: School | None) -> tuple[str, ...]:
    """The kinds of file this user may upload for this school (None: the whole authority),
    from the import registry: a school's own staff send the kinds schools send; service
    administrators every kind."""
    if not user.is_authenticated or not user.is_active:
        return ()
    school_kinds = import_kinds_for(Uploaders.SCHOOL)
    if user.role == Role.SERVICE_ADMIN or user.is_superuser:
        return (*school_kinds, *import_kinds_for(Uploaders.AUTHORITY))
    if (
        school is not None
        and user.role in SCHOOL_ROLES
        and SchoolMembership.objects.filter(user=user, school=school).exists()
    ):
        return school_kinds
    return ()


def import_batch_list_for(user: User, *, school: School | None) -> QuerySet[ImportBatch]:
    """A school's files (the school must be in the user's scope), or, for service
    administrators only, the files sent for the whole authority (school None)."""
    batches = ImportBatch.objects.select_related("uploaded_by", "school")
    if school is None:
        if upload_kinds_for(user, None):
            return batches.filter(school__isnull=True)
        return batches.none()
    if not school_list_for(user).filter(pk=school.pk).exists():
        return batches.none()
    return batches.filter(school=school)


def import_batch_get_for(user: User, batch_id: int, *, school: School | None) -> ImportBatch:
    """One batch the user may see; anything else is "not found"."""
    try:
        return import_batch_list_for(user, school=school).get(pk=batch_id)
    except ImportBatch.DoesNotExist:
        raise Http404("No such import.") from None


# --- checking the file before it is stored ------------------------------------------------
def upload_file_problem(kind: str, upload: UploadedFile) -> str | None:
    """Why this file cannot be taken as this kind, before anything is stored."""
    if upload.size is None or upload.size == 0:
        return FILE_EMPTY
    if upload.size > settings.MAX_IMPORT_FILE_BYTES:
        return FILE_TOO_LARGE.format(limit=megabytes(settings.MAX_IMPORT_FILE_BYTES))
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return file_content_problem(kind, upload.name or "", head)


def file_content_problem(kind: str, name: str, head: bytes) -> str | None:
    """The file's name and first bytes against the kind chosen (a PDF sent as a CSV, ...)."""
    suffix = Path(name).suffix.lower()
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        return FILE_EMPTY
    try:
        xml = import_kind_get(kind).file_type == "xml"
    except UnknownImportKind:
        return MUST_BE_CSV
    what = "an XML Common Transfer File" if xml else "a CSV"
    if text.startswith(b"%PDF"):
        return IS_PDF.format(what=what)
    if text.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # XLSX/ZIP, old Excel
        return MUST_BE_XML if xml else IS_SPREADSHEET
    if b"\x00" in head:
        return IS_BINARY.format(what=what)
    if xml:
        if suffix != ".xml" or not text.startswith(b"<"):
            return MUST_BE_XML
        return None
    if text.startswith(b"<"):
        return IS_XML_NOT_CSV
    if suffix not in (".csv", ".txt"):
        return MUST_BE_CSV
    return None


# --- the steps --------------------------------------------------------------------------------
def _safe_name(name: str) -> str:
    """The file's own name as shown back to people (never used as a path)."""
    base = Path(name.replace("\\", "/")).name
    return re.sub(r"[\x00-\x1f\x7f]", "", base)[:255] or "upload"


def stored_path(batch: ImportBatch) -> Path:
    return Path(default_storage.path(batch.stored_file))


@transaction.atomic
def upload_receive(
    *, actor: User, school: School | None, kind: str, upload: UploadedFile
) -> ImportBatch:
    """Store the file privately and record it (status received). The caller has checked the
    user may upload this kind for this school, and `upload_file_problem`."""
    if kind not in upload_kinds_for(actor, school):
        raise PermissionError(f"{actor} may not upload {kind} files here")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    suffix = f".{import_kind_get(kind).file_type}"
    folder = school.urn if school is not None else "authority"
    now = timezone.now()
    name = default_storage.save(
        f"{STORAGE_DIR}/{folder}/{now:%Y/%m}/{uuid.uuid4().hex}{suffix}", upload
    )
    batch = ImportBatch.objects.create(
        kind=kind,
        school=school,
        filename=_safe_name(upload.name or ""),
        sha256=digest.hexdigest(),
        size_bytes=upload.size or 0,
        uploaded_by=actor,
        source="upload",
        status=Status.RECEIVED,
        stored_file=name,
    )
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT_RECEIVED,
        obj=batch,
        detail={"kind": kind, "filename": batch.filename, "size": batch.size_bytes},
    )
    return batch


def runs_inline(batch: ImportBatch) -> bool:
    return batch.size_bytes <= INLINE_MAX_BYTES


def upload_check(*, batch: ImportBatch) -> ImportBatch:
    """Work out what applying the file would change, writing nothing but the batch row:
    previewed (with counts), rejected (with every row's reason) or unchanged."""
    if batch.status != Status.RECEIVED:
        return batch  # already checked: a second run changes nothing
    result = import_preview(
        kind=batch.kind,
        file_path=stored_path(batch),
        filename=batch.filename,
        school=batch.school,
        actor=batch.uploaded_by,
    )
    batch.rows_total = result.rows_total
    batch.counts = result.counts
    batch.errors = result.errors
    batch.warnings = result.warnings
    if result.status == Status.REJECTED:
        batch.status, batch.finished_at = Status.REJECTED, timezone.now()
    elif result.status == Status.UNCHANGED:
        batch.status, batch.finished_at = Status.UNCHANGED, timezone.now()
    else:
        batch.status = Status.PREVIEWED
    # Only if nobody else finished the check meanwhile (a task retried, say).
    updated = ImportBatch.objects.filter(pk=batch.pk, status=Status.RECEIVED).update(
        status=batch.status,
        rows_total=batch.rows_total,
        counts=batch.counts,
        errors=batch.errors,
        warnings=batch.warnings,
        finished_at=batch.finished_at,
    )
    if updated:
        audit_record(
            actor=batch.uploaded_by,
            action=CHECKED_ACTIONS[batch.status],
            obj=batch,
            detail={"errors": len(result.errors), **result.counts},
        )
    batch.refresh_from_db()
    return batch


def upload_confirm(*, actor: User, batch: ImportBatch) -> bool:
    """Mark a checked file for applying. True only for the one request that confirmed it:
    a second click, a resent form or a second tab changes nothing."""
    if batch.kind not in upload_kinds_for(actor, batch.school):
        raise PermissionError(f"{actor} may not apply {batch.kind} files here")
    with transaction.atomic():
        confirmed = ImportBatch.objects.filter(pk=batch.pk, status=Status.PREVIEWED).update(
            status=Status.PROCESSING, rows_done=0, queued_at=timezone.now()
        )
        if confirmed:
            audit_record(
                actor=actor,
                action=AuditAction.IMPORT_CONFIRMED,
                obj=batch,
                detail={"kind": batch.kind, "filename": batch.filename},
            )
    batch.refresh_from_db()
    return bool(confirmed)


Progress = Callable[[str, int], None]


def upload_apply(*, batch_id: int, progress: Progress | None = None) -> ImportBatch | None:
    """Apply a confirmed upload, once. The batch row is locked while it is applied, so a
    task delivered twice waits and then finds the work done."""
    with transaction.atomic():
        batch = (
            ImportBatch.objects.select_for_update(of=("self",))
            .select_related("school", "uploaded_by")
            .filter(pk=batch_id)
            .first()
        )
        if batch is None or batch.status != Status.PROCESSING:
            return batch  # not confirmed, or already applied / rejected: nothing to do
        import_run(
            kind=batch.kind,
            file_path=stored_path(batch),
            filename=batch.filename,
            actor=batch.uploaded_by,
            school=batch.school,
            source="upload",
            batch=batch,
            progress=progress,
        )
    batch.refresh_from_db()
    return batch


# --- for the pages ------------------------------------------------------------------------------
LINE_ERROR = re.compile(r"^line (\d+): (.*)$", re.DOTALL)


@dataclass(frozen=True)
class RowProblem:
    line: int | None
    reason: str


def row_problems(errors: list[str]) -> list[RowProblem]:
    """Each stored error as (line, reason); a problem with the whole file has no line."""
    problems = []
    for text in errors:
        match = LINE_ERROR.match(text)
        if match:
            problems.append(RowProblem(int(match.group(1)), match.group(2)))
        else:
            problems.append(RowProblem(None, text))
    return problems


@dataclass(frozen=True)
class CountRow:
    label: str
    added: int | None
    updated: int | None
    unchanged: int | None


ENTITY_LABELS: Final = {
    "marks": "Register marks",
    "pupils": "Pupils",
    "enrolments": "Enrolments",
    "parents": "Parents",
    "schools": "Schools",
    "term_dates": "Term dates and closures",
    "calendar": "Term dates and closures",
}


def count_rows(counts: dict[str, Any]) -> tuple[list[CountRow], list[tuple[str, Any]]]:
    """The counts as table rows (added/updated/unchanged per entity) and other facts."""
    rows, facts = [], []
    for entity, value in counts.items():
        label = ENTITY_LABELS.get(entity, entity.replace("_", " ").capitalize())
        if isinstance(value, dict):
            rows.append(
                CountRow(label, value.get("added"), value.get("updated"), value.get("unchanged"))
            )
        elif entity != "identical_to" and not entity.startswith("_"):
            facts.append((label, value))
    return rows, facts
