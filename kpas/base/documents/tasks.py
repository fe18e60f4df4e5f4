"""Named tasks of the documents pipeline: the render and its sweeper (queue "documents",
routed by name in kpas/base/queues.py)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from kpas.base.documents import services
from kpas.base.queues import DATABASE_LOST, database_retry_countdown

RENDER_MAX_RETRIES = 3
# Hard limit on one render; services.STUCK_AFTER is longer, so a live render is never swept.
RENDER_TIME_LIMIT = 5 * 60


@shared_task(
    name=services.RENDER_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=RENDER_MAX_RETRIES,
    time_limit=RENDER_TIME_LIMIT,
    soft_time_limit=RENDER_TIME_LIMIT - 30,
)
def render_document_task(self: Any, document_id: int, reclaim: bool = False) -> str | None:
    """Render one document; `reclaim`: this task's own earlier attempt lost the database
    mid-render, so its claim ("rendering") is taken back at once rather than left to the
    sweeper."""
    try:
        document = services.document_render(document_id=document_id, reclaim=reclaim)
    except DATABASE_LOST as error:  # nothing was stored: render again on a fresh connection
        raise self.retry(
            exc=error,
            args=(),
            kwargs={"document_id": document_id, "reclaim": True},
            countdown=database_retry_countdown(self.request.retries),
        ) from error
    except Exception as error:  # the renderer failed: retry a few times, then say so
        final = self.request.retries >= self.max_retries
        services.document_render_failed(document_id=document_id, error=repr(error), final=final)
        if final:
            return "failed"
        raise self.retry(exc=error, countdown=min(300, 10 * 2**self.request.retries)) from error
    return document.status if document else None


@shared_task(name="kpas.documents.sweep", acks_late=True)
def sweep_documents_task() -> int:
    """Queue again the renders that were lost or whose worker died."""
    stuck = services.stuck_documents()
    for document_id in stuck:
        render_document_task.delay(document_id)
    return len(stuck)
