"""Receiving a file: validate it whole, then apply it atomically and idempotently, or refuse it.

`import_run` is the one way a file changes data (commands, uploads, the API and the
benchmark all call it). `import_preview` says exactly what a file would change, writing
nothing. Every outcome — applied, rejected, unchanged — is recorded as an ImportBatch and in
the audit log; a rejected file lists every bad row as `line N: reason` and applies nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import DatabaseError, OperationalError, connection, transaction
from django.utils import timezone

from kpas.base.audit import AuditAction, audit_record
from kpas.base.roles import Role
from schools.import_registry import import_kind_get, import_kind_label
from schools.imports.common import (
    MAX_STORED_ERRORS,
    MORE_ERRORS,
    READ_CHUNK_BYTES,
    TOO_LARGE,
    ImportRefused,
    Prepared,
    RowError,
    RowErrors,
    Touched,
)
from schools.models import ImportBatch, School
from schools.register_tasks import import_follow_up_queue

logger = logging.getLogger(__name__)

Status = ImportBatch.Status

# An import's outcome, as the audit log names it.
OUTCOME_ACTIONS: dict[str, AuditAction] = {
    ImportBatch.Status.APPLIED: AuditAction.IMPORT_APPLIED,
    ImportBatch.Status.REJECTED: AuditAction.IMPORT_REJECTED,
    ImportBatch.Status.UNCHANGED: AuditAction.IMPORT_UNCHANGED,
    ImportBatch.Status.PREVIEWED: AuditAction.IMPORT_CHECKED_PREVIEWED,
}


PREVIEWED = "previewed"
NO_INPUT = "give exactly one of file_path and data"
APPLY_FAILED = "the file could not be applied ({detail}); nothing was changed"


@dataclass
class ImportResult:
    kind: str
    filename: str
    status: str  # an ImportBatch.Status value, or "previewed" for a dry run
    sha256: str
    counts: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    batch: ImportBatch | None = None
    rows_total: int = 0
    # Every error found; `errors` keeps the first MAX_STORED_ERRORS and says how many more.
    error_count: int = 0

    def refuse(self, errors: RowErrors | list[RowError]) -> None:
        """Rejected: the first MAX_STORED_ERRORS errors by line, then "... and N more"."""
        kept = RowErrors(errors) if isinstance(errors, list) else errors
        self.status, self.error_count = Status.REJECTED, kept.count
        self.errors = [str(e) for e in kept.kept()]
        if kept.more:
            self.errors.append(MORE_ERRORS.format(count=kept.more))

    @property
    def ok(self) -> bool:
        return self.status != Status.REJECTED

    def summary(self) -> str:
        """One line for people: what happened, and the counts."""
        what = f"{import_kind_label(self.kind)} {self.filename!r}"
        ref = f" (batch {self.batch.pk})" if self.batch is not None else ""
        if self.status == Status.REJECTED:
            count = self.error_count or len(self.errors)
            return f"Rejected {what}{ref}: {count:,} error(s); nothing was applied."
        if self.status == Status.UNCHANGED:
            return (
                f"Unchanged {what}{ref}: identical to batch {self.counts['identical_to']}, "
                "already applied; nothing was changed."
            )
        parts = []
        for entity, value in self.counts.items():
            if entity.startswith("_"):  # kept for other apps (e.g. ctf.LOST_PUPIL_LEAVERS)
                continue
            label = entity.replace("_", " ")
            if isinstance(value, dict):
                parts.append(
                    f"{label}: {value.get('added', 0)} added, "
                    f"{value.get('updated', 0)} updated, "
                    f"{value.get('unchanged', 0)} unchanged"
                )
            else:
                parts.append(f"{label}: {value}")
        detail = "; ".join(parts) or "no rows"
        if self.status == PREVIEWED:
            return f"Dry run of {what}, nothing written; applying it would give {detail}."
        return f"Applied {what}{ref}: {detail}."


def _read(file_path: str | Path | None, data: bytes | None) -> tuple[Path | bytes, int]:
    """The file (its path, or the bytes given) and its size; a file on disk is not read here:
    it is read a chunk at a time, for its digest and then by the format (issue 15 item 2)."""
    if (file_path is None) == (data is None):
        raise ValueError(NO_INPUT)
    if data is not None:
        return data, len(data)
    path = Path(file_path)  # type: ignore[arg-type]
    return path, path.stat().st_size


def _digest(content: Path | bytes, size: int) -> str:
    """SHA-256 of the file, for the identical re-send check; "" for a file too large to read."""
    if size > settings.MAX_IMPORT_FILE_BYTES:
        return ""  # never read a file that is too large
    if isinstance(content, bytes):
        return hashlib.sha256(content).hexdigest()
    digest = hashlib.sha256()
    with content.open("rb") as source:
        while chunk := source.read(READ_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _open(content: Path | bytes) -> BinaryIO:
    return io.BytesIO(content) if isinstance(content, bytes) else content.open("rb")


def _check_kind(kind: str) -> str:
    """The kind must be in the import registry (raises UnknownImportKind, a ValueError)."""
    return import_kind_get(kind).kind


def acts_for_authority(actor: Any, school: School | None) -> bool:
    """Whether the file is the authority's own import rather than a school's own upload.

    A school's own upload (its staff's, or a command run with --school) may create its own
    new pupils and update its own pupils, never take over a pupil registered at another
    school; the authority's imports (no school, or sent by a service administrator) may
    move pupils between schools (issue 10 item 0)."""
    if school is None:
        return True
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return bool(actor.is_superuser or actor.role == Role.SERVICE_ADMIN)


def _lock() -> None:
    """One import at a time (PostgreSQL; SQLite serialises writers itself). Imports of
    different kinds write the same tables (a CTF writes pupils and marks), so two files
    never interleave: no deadlocks, and the identical-file check cannot race."""
    if connection.vendor == "postgresql":
        key = zlib.crc32(b"kpas-import")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _prepare(
    kind: str, content: Path | bytes, size: int, school: School | None, actor: Any
) -> Prepared:
    """The format reads the file from a binary stream, a chunk at a time, and is done with
    it when it returns (its rows are staged, or its records kept)."""
    if size > settings.MAX_IMPORT_FILE_BYTES:
        limit = settings.MAX_IMPORT_FILE_BYTES
        raise ImportRefused([RowError(0, TOO_LARGE.format(size=size, limit=limit))])
    authority = acts_for_authority(actor, school)
    with _open(content) as source:
        return import_kind_get(kind).prepare(source, school=school, authority=authority)


class _Rejected(Exception):
    def __init__(self, errors: RowErrors | list[RowError], rows_total: int = 0) -> None:
        self.errors = errors
        self.rows_total = rows_total


def _close(prepared: Prepared) -> None:
    # If the transaction has failed, its rollback drops the temporary tables anyway.
    with contextlib.suppress(DatabaseError):
        prepared.close()


def import_preview(
    *,
    kind: str,
    file_path: str | Path | None = None,
    data: bytes | None = None,
    filename: str | None = None,
    school: School | None = None,
    actor: Any = None,
) -> ImportResult:
    """What applying the file would change (pupils, enrolments, marks added/updated/unchanged),
    or every reason it would be refused. Writes nothing: it runs in a transaction that is
    always rolled back (only session-local temporary tables are used)."""
    kind = _check_kind(kind)
    content, size = _read(file_path, data)
    name = filename or (Path(file_path).name if file_path else "upload")
    digest = _digest(content, size)
    result = ImportResult(kind=kind, filename=name, status=PREVIEWED, sha256=digest)
    previous = _previous_batch(kind, digest, school)
    if previous is not None:
        result.status, result.counts = Status.UNCHANGED, {"identical_to": previous.pk}
        return result
    try:
        with transaction.atomic():
            try:
                prepared = _prepare(kind, content, size, school, actor)
                try:
                    result.rows_total = prepared.rows_total
                    if prepared.errors:
                        raise _Rejected(prepared.errors, prepared.rows_total)
                    result.counts = prepared.preview()
                    result.warnings = _texts(prepared.warnings)
                finally:
                    _close(prepared)
            finally:
                transaction.set_rollback(True)
    except ImportRefused as exc:
        result.refuse(exc.errors)
    except _Rejected as exc:
        result.refuse(exc.errors)
    return result


def _previous_batch(kind: str, digest: str, school: School | None) -> ImportBatch | None:
    if not digest:
        return None
    return (
        ImportBatch.objects.filter(kind=kind, sha256=digest, school=school, status=Status.APPLIED)
        .order_by("-created_at")
        .first()
    )


def import_run(
    *,
    kind: str,
    file_path: str | Path | None = None,
    data: bytes | None = None,
    filename: str | None = None,
    actor: Any = None,
    school: School | None = None,
    source: str = "command",
    dry_run: bool = False,
    batch: ImportBatch | None = None,
    progress: Callable[[str, int], None] | None = None,
    follow_up: bool = True,
) -> ImportResult:
    """Validate the whole file; apply all of it in one transaction, or none of it.

    A file identical (same SHA-256, kind and school) to one already applied is recorded as
    `unchanged` and changes nothing. `school` is set for a school's own upload: then every
    row must be that school's. `batch`: an ImportBatch already recorded for this file (a
    browser upload, checked and confirmed): the outcome is written to it, not to a new row.
    `progress(stage, rows_total)` hears "checking" and then "applying" (schools/uploads.py).
    `follow_up=False`: queue no projection refresh after the commit, for a caller that
    rebuilds the projections and alerts itself (the demo).
    """
    if dry_run:
        return import_preview(
            kind=kind, file_path=file_path, data=data, filename=filename, school=school, actor=actor
        )
    kind = _check_kind(kind)
    content, size = _read(file_path, data)
    name = filename or (Path(file_path).name if file_path else "upload")
    digest = _digest(content, size)
    uploader = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    base = dict(
        kind=kind,
        school=school,
        filename=name[:255],
        sha256=digest,
        size_bytes=size,
        uploaded_by=uploader,
        source=source,
    )
    result = ImportResult(kind=kind, filename=name, status=Status.APPLIED, sha256=digest)

    errors: RowErrors | list[RowError] = []
    try:
        with transaction.atomic():
            _lock()
            previous = _previous_batch(kind, digest, school)  # checked under the lock
            if previous is not None:
                result.status, result.counts = Status.UNCHANGED, {"identical_to": previous.pk}
                result.batch = _record(base, result, actor, batch)
                return result
            if progress is not None:
                progress("checking", 0)
            prepared = _prepare(kind, content, size, school, actor)
            try:
                result.rows_total = prepared.rows_total
                if prepared.errors:
                    raise _Rejected(prepared.errors, prepared.rows_total)
                if progress is not None:
                    progress("applying", prepared.rows_total)
                applied = batch or ImportBatch(**base)
                applied.status, applied.rows_total = Status.PROCESSING, prepared.rows_total
                applied.save()
                outcome = prepared.apply(applied)
                result.counts, result.batch = outcome.counts, applied
                result.warnings = _texts(prepared.warnings)
                applied.status, applied.counts = Status.APPLIED, outcome.counts
                applied.rows_done, applied.finished_at = outcome.rows_done, timezone.now()
                applied.warnings = result.warnings[:MAX_STORED_ERRORS]
                applied.save(
                    update_fields=["status", "counts", "rows_done", "finished_at", "warnings"]
                )
                audit_record(
                    actor=actor,
                    action=AuditAction.IMPORT_APPLIED,
                    obj=applied,
                    detail={"kind": kind, "filename": name, "counts": outcome.counts},
                )
                if outcome.touched and follow_up:
                    touched = outcome.touched
                    transaction.on_commit(lambda: _refresh_projections(touched))
            finally:
                _close(prepared)
    except ImportRefused as exc:
        errors = exc.errors
    except _Rejected as exc:
        errors, result.rows_total = exc.errors, exc.rows_total
    except OperationalError:
        # The database went away (a restart) or a deadlock: nothing was applied, and the
        # file itself is fine, so the caller tries again (the task retries with backoff).
        raise
    except DatabaseError as exc:  # e.g. a constraint the checks did not foresee
        logger.exception("import of %s %s failed", kind, name)
        errors = [RowError(0, APPLY_FAILED.format(detail=str(exc).splitlines()[0]))]
    if errors:
        result.refuse(errors)
        result.batch, result.counts = None, {}
        result.batch = _record(base, result, actor, batch)
    return result


def _texts(rows: list[RowError]) -> list[str]:
    return [str(row) for row in sorted(rows)]


def _record(
    base: dict[str, Any], result: ImportResult, actor: Any, batch: ImportBatch | None = None
) -> ImportBatch:
    """An ImportBatch (and audit row) for an outcome that applied nothing; written into
    `batch` when the file already has one (a browser upload)."""
    outcome = dict(
        status=result.status,
        counts=result.counts,
        errors=result.errors,  # at most MAX_STORED_ERRORS, and "... and N more errors"
        rows_total=result.rows_total,
        finished_at=timezone.now(),
    )
    if batch is None:
        batch = ImportBatch.objects.create(**base, **outcome)
    else:
        for field_name, value in outcome.items():
            setattr(batch, field_name, value)
        batch.save(update_fields=list(outcome))
    audit_record(
        actor=actor,
        action=OUTCOME_ACTIONS[result.status],
        obj=batch,
        detail={
            "kind": result.kind,
            "filename": result.filename,
            "errors": result.error_count,
            **result.counts,
        },
    )
    return batch


def _refresh_projections(touched: Touched) -> None:
    """After the commit: one follow-up task per school brings its projections up to date
    for the dates the file touched and re-evaluates it (DESIGN "How data flows" 3)."""
    import_follow_up_queue(touched.dates)
