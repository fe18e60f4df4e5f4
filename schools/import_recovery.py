"""Uploads stuck on the way: found by the sweeper, queued again, failed or cancelled.

A worker killed mid-import leaves its file "processing" (or "received", for the check), and
with Redis its task comes back only after the visibility timeout; with Redis down the file
was never queued at all. `imports_sweep` (the `schools.sweep_imports` task, on beat every
five minutes) finds such files and queues them again, at most `IMPORT_MAX_REQUEUES` times,
then marks them failed with a message saying what to do. A service administrator can queue
a file again or cancel it from the admin. None of this can undo newer work: applying a late
file keeps every mark a file received after it wrote (ADR 0013), and the apply task does
nothing for a file no longer "processing".

Transitions (besides those in schools/uploads.py):
    received | processing -> (queued again, attempts + 1)    import_requeue
    received | processing -> failed                          imports_sweep, after K attempts
    received | previewed | processing -> cancelled           import_cancel
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Final

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from kpas.base.audit import AuditAction, audit_record
from kpas.base.errors import Conflict, ServiceBusy
from kpas.base.models import User
from schools.models import ImportBatch
from schools.upload_tasks import import_apply_queue, import_check_queue

logger = logging.getLogger(__name__)

Status = ImportBatch.Status

# A file never queued (Redis was down) is picked up once this has passed since it arrived:
# long enough for the request that received it to have finished with it.
UNQUEUED_GRACE: Final = timedelta(minutes=2)
IN_FLIGHT: Final = (Status.RECEIVED, Status.PROCESSING)
CANCELLABLE: Final = (Status.RECEIVED, Status.PREVIEWED, Status.PROCESSING)

STUCK_FAILED: Final = (
    "This file could not be {step} after {attempts} attempts: the service stopped while "
    "working on it. Nothing in it was applied. Upload the file again; if this happens again, "
    "contact your service administrator giving file number {batch}."
)
CANCELLED: Final = "This file was cancelled by a service administrator; nothing in it was applied."
NOT_IN_FLIGHT: Final = "Only a file waiting to be checked or applied can be queued again."
NOT_CANCELLABLE: Final = "This file has finished: it can no longer be cancelled."
BEING_APPLIED: Final = "This file is being applied right now; wait for it to finish."


def _stuck_after() -> timedelta:
    return timedelta(seconds=settings.IMPORT_STUCK_AFTER_SECONDS)


def imports_stuck(*, now: datetime) -> QuerySet[ImportBatch]:
    """Uploads waiting for a worker that is not coming: queued longer ago than
    IMPORT_STUCK_AFTER_SECONDS, or never queued at all (Redis was down)."""
    return ImportBatch.objects.filter(
        Q(queued_at__lt=now - _stuck_after())
        | Q(queued_at__isnull=True, created_at__lt=now - UNQUEUED_GRACE),
        status__in=IN_FLIGHT,
        source__in=("upload", "api"),
    ).exclude(stored_file="")


def _lock(batch_id: int) -> ImportBatch | None:
    """The batch row, locked; None if a worker is applying it now (it holds the row's lock,
    schools.uploads.upload_apply). On SQLite there are no row locks: writers serialise."""
    return (
        ImportBatch.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk=batch_id)
        .first()
    )


def _queue_for(batch: ImportBatch) -> None:
    if batch.status == Status.RECEIVED:
        import_check_queue(batch.pk)
    else:
        import_apply_queue(batch.pk)


def import_requeue(*, batch_id: int, actor: User | None) -> ImportBatch:
    """Hand a file waiting to be checked or applied to a worker again. The task is
    idempotent, so a copy of it still to come from Redis does no harm. Raises Conflict for a
    file in any other state, ServiceBusy when Redis cannot be reached."""
    with transaction.atomic():
        batch = _lock(batch_id)
        if batch is None:
            raise Conflict(BEING_APPLIED)
        if batch.status not in IN_FLIGHT:
            raise Conflict(NOT_IN_FLIGHT)
        batch.attempts += 1
        batch.save(update_fields=["attempts"])
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT_REQUEUED,
            obj=batch,
            detail={"status": batch.status, "attempts": batch.attempts},
        )
    _queue_for(batch)  # after the commit: the worker must see the new attempt
    return batch


def _finish(batch: ImportBatch, *, status: str, message: str) -> None:
    batch.status, batch.finished_at = status, timezone.now()
    batch.errors = [message]
    batch.save(update_fields=["status", "finished_at", "errors"])


def import_fail(*, batch_id: int, actor: User | None = None) -> ImportBatch | None:
    """Give up on a stuck file: failed, with a message saying what to do. None if it was no
    longer stuck (finished meanwhile, or being applied now)."""
    with transaction.atomic():
        batch = _lock(batch_id)
        if batch is None or batch.status not in IN_FLIGHT:
            return None
        step = "checked" if batch.status == Status.RECEIVED else "applied"
        attempts = batch.attempts + 1
        _finish(
            batch,
            status=Status.FAILED,
            message=STUCK_FAILED.format(step=step, attempts=attempts, batch=batch.pk),
        )
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT_FAILED,
            obj=batch,
            detail={"step": step, "attempts": attempts},
        )
    return batch


def import_cancel(*, batch_id: int, actor: User) -> ImportBatch:
    """Cancel a file before it is applied; a file already finished is left as it is."""
    with transaction.atomic():
        batch = _lock(batch_id)
        if batch is None:
            raise Conflict(BEING_APPLIED)
        if batch.status not in CANCELLABLE:
            raise Conflict(NOT_CANCELLABLE)
        previous = batch.status
        _finish(batch, status=Status.CANCELLED, message=CANCELLED)
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT_CANCELLED,
            obj=batch,
            detail={"was": previous},
        )
    return batch


def imports_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Queue every stuck upload again, or fail it after IMPORT_MAX_REQUEUES attempts. With
    Redis still down nothing changes: the next sweep tries again."""
    now = now or timezone.now()
    swept = {"requeued": 0, "failed": 0, "busy": 0, "skipped": 0}
    for batch_id, attempts in imports_stuck(now=now).values_list("pk", "attempts"):
        try:
            if attempts >= settings.IMPORT_MAX_REQUEUES:
                swept["failed" if import_fail(batch_id=batch_id) else "skipped"] += 1
            else:
                import_requeue(batch_id=batch_id, actor=None)
                swept["requeued"] += 1
        except ServiceBusy:
            swept["busy"] += 1
            break  # Redis is down: the rest wait for the next sweep
        except Conflict:
            swept["skipped"] += 1  # finished, or a worker is on it
    if any(swept.values()):
        logger.info("import sweep: %s", swept)
    return swept
