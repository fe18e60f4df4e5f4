"""Named tasks of the base floor: the outbox's sender and its sweeper (and, imported from
kpas/base/documents/tasks.py, the documents pipeline's)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from kpas.base import outbox

# The documents pipeline's tasks live with it; importing them here lets autodiscovery find them.
from kpas.base.documents import tasks as documents_tasks
from kpas.base.retention import retention_purge_task

EMAIL_MAX_RETRIES = 5


@shared_task(
    name=outbox.SEND_EMAIL_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=EMAIL_MAX_RETRIES,
)
def send_email_task(self: Any, email_id: int) -> str | None:
    try:
        email = outbox.email_send(email_id=email_id)
    except Exception as error:  # SMTP refused, timed out, connection reset...
        final = self.request.retries >= self.max_retries
        outbox.email_attempt_failed(email_id=email_id, error=repr(error), final=final)
        if final:
            return "failed"
        raise self.retry(exc=error, countdown=min(600, 30 * 2**self.request.retries)) from error
    return email.status if email else None


@shared_task(name="kpas.outbox.sweep", acks_late=True)
def sweep_outbox_task() -> int:
    """Queue again the emails still pending long after they were stored."""
    stale = outbox.stale_emails()
    for email_id in stale:
        send_email_task.delay(email_id)
    return len(stale)


__all__ = ["documents_tasks", "retention_purge_task", "send_email_task", "sweep_outbox_task"]
