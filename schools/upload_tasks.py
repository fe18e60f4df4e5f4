"""Celery tasks for files uploaded in the browser or through the API: check, then apply.

Thin and idempotent (STYLE §7): each loads the batch by id, returns early when its step is
already done, and calls a service in `schools.uploads`. Whether a file is handled by a worker
at all is decided by `schools.upload_service`, never here or in a view.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Final

from celery import shared_task
from django.db import OperationalError, connection
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from kpas.base.errors import ServiceBusy
from kpas.base.queues import TASK_OPTIONS
from schools.models import ImportBatch
from schools.uploads import upload_apply, upload_check

logger = logging.getLogger(__name__)

QUEUE_BUSY: Final = (
    "We have received your file and kept it, but it cannot be handled just now because the "
    "service is busy. It will be handled automatically as soon as it can be: you do not need "
    "to send it again. You can follow it in the list of files received."
)
# A PostgreSQL restart mid-import: the transaction is rolled back whole, so the task can
# simply run again, a little later each time (issue 15 item 1).
IMPORT_TASK_OPTIONS: Final[dict[str, Any]] = {
    **TASK_OPTIONS,
    "autoretry_for": (*TASK_OPTIONS["autoretry_for"], OperationalError),
    "max_retries": 5,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
}
# Publishing must fail fast when Redis is down: the person is waiting for the page.
PUBLISH_RETRY_POLICY: Final = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}


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


@contextmanager
def _fresh_connection_on_retry() -> Iterator[None]:
    """On a database error that retries the task, drop the broken connection first, so the
    retry (maybe in this same process) opens a new one."""
    try:
        yield
    except OperationalError:
        logger.warning("database unavailable during an import; the task will retry")
        connection.close()
        raise


@shared_task(name="schools.check_import", bind=True, **IMPORT_TASK_OPTIONS)
def check_import_task(self: Any, batch_id: int) -> str | None:
    """Check a large uploaded file (what it would change), writing nothing else."""
    with _fresh_connection_on_retry():
        batch = ImportBatch.objects.filter(pk=batch_id).first()
        if batch is None or batch.status != ImportBatch.Status.RECEIVED:
            return batch.status if batch else None  # gone, or already checked
        report = _stage_reporter(self)
        if report:
            report("checking", 0)
        return upload_check(batch=batch).status


@shared_task(name="schools.apply_import", bind=True, **IMPORT_TASK_OPTIONS)
def apply_import_task(self: Any, batch_id: int) -> str | None:
    """Apply a confirmed upload. Idempotent: a batch already applied, rejected or unchanged
    (or never confirmed) is left as it is."""
    with _fresh_connection_on_retry():
        batch = ImportBatch.objects.filter(pk=batch_id).first()
        if batch is None or batch.status != ImportBatch.Status.PROCESSING:
            return batch.status if batch else None
        applied = upload_apply(batch_id=batch_id, progress=_stage_reporter(self))
        return applied.status if applied else None


def _queue(task: Any, batch_id: int, step: str) -> None:
    """Publish the task, and note when (the sweeper measures a stuck file from there). When
    Redis cannot be reached the file stays recorded with no `queued_at`, so the sweeper
    queues it when Redis is back; the person is told the service is busy (503)."""
    try:
        task.apply_async(
            (batch_id,),
            task_id=import_task_id(batch_id, step),
            retry_policy=PUBLISH_RETRY_POLICY,
        )
    except (BrokerUnavailable, ConnectionError) as exc:
        logger.warning("could not queue import %s (%s): the sweeper will", batch_id, exc)
        ImportBatch.objects.filter(pk=batch_id).update(queued_at=None)
        raise ServiceBusy(QUEUE_BUSY) from exc
    ImportBatch.objects.filter(pk=batch_id).update(queued_at=timezone.now())


def import_check_queue(batch_id: int) -> None:
    _queue(check_import_task, batch_id, "check")


def import_apply_queue(batch_id: int) -> None:
    _queue(apply_import_task, batch_id, "apply")
