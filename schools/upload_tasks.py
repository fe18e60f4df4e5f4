"""Celery tasks for files uploaded in the browser or through the API: check, then apply.

Thin and idempotent (STYLE §7): each loads the batch by id, returns early when its step is
already done, and calls a service in `schools.uploads`. Whether a file is handled by a worker
at all is decided by `schools.upload_service`, never here or in a view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from celery import shared_task

from kpas.base.queues import TASK_OPTIONS
from schools.models import ImportBatch
from schools.uploads import upload_apply, upload_check


def import_task_id(batch_id: int, step: str) -> str:
    """Made before the task is queued, so the progress page can ask the result backend."""
    return f"kpas-import-{batch_id}-{step}"


def _stage_reporter(task: Any) -> Callable[[str, int], None] | None:
    """Publishes the stage through the result backend: the batch row itself is inside the
    import's transaction, so nothing written to it shows until the end."""
    if not task.request.id:
        return None  # called directly (tests, a shell): nobody is watching

    def report(stage: str, rows_total: int) -> None:
        task.update_state(state="PROGRESS", meta={"stage": stage, "rows_total": rows_total})

    return report


@shared_task(name="schools.check_import", bind=True, **TASK_OPTIONS)
def check_import_task(self: Any, batch_id: int) -> str | None:
    """Check a large uploaded file (what it would change), writing nothing else."""
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status != ImportBatch.Status.RECEIVED:
        return batch.status if batch else None  # gone, or already checked
    report = _stage_reporter(self)
    if report:
        report("checking", 0)
    return upload_check(batch=batch).status


@shared_task(name="schools.apply_import", bind=True, **TASK_OPTIONS)
def apply_import_task(self: Any, batch_id: int) -> str | None:
    """Apply a confirmed upload. Idempotent: a batch already applied, rejected or unchanged
    (or never confirmed) is left as it is."""
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status != ImportBatch.Status.PROCESSING:
        return batch.status if batch else None
    applied = upload_apply(batch_id=batch_id, progress=_stage_reporter(self))
    return applied.status if applied else None


def import_check_queue(batch_id: int) -> None:
    check_import_task.apply_async((batch_id,), task_id=import_task_id(batch_id, "check"))


def import_apply_queue(batch_id: int) -> None:
    apply_import_task.apply_async((batch_id,), task_id=import_task_id(batch_id, "apply"))
