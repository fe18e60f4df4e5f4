"""Named tasks of the base floor: the outbox's sender and its sweeper (and, imported from
kpas/base/documents/tasks.py, the documents pipeline's)."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.signals import task_prerun, task_success, worker_ready

from kpas.base import nightly, outbox

# The documents pipeline's tasks live with it; importing them here lets autodiscovery find them.
from kpas.base.documents import tasks as documents_tasks
from kpas.base.queues import DATABASE_LOST, database_retry_countdown
from kpas.base.retention import retention_purge_task

EMAIL_MAX_RETRIES = 5
# Recording an email that already went out is retried for longer: it never sends anything.
RECORD_SENT_MAX_RETRIES = 20


@shared_task(
    name=outbox.SEND_EMAIL_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=EMAIL_MAX_RETRIES,
)
def send_email_task(self: Any, email_id: int, sent: bool = False) -> str | None:
    """Send one email; `sent`: it went out already, only record it (SentNotRecorded)."""
    countdown = database_retry_countdown(self.request.retries)
    try:
        if sent:
            email = outbox.email_mark_sent(email_id=email_id)
        else:
            email = outbox.email_send(email_id=email_id)
    except outbox.SentNotRecorded as error:
        raise self.retry(
            exc=error,
            args=(),
            kwargs={"email_id": email_id, "sent": True},
            countdown=countdown,
            max_retries=RECORD_SENT_MAX_RETRIES,
        ) from error
    except DATABASE_LOST as error:  # before anything went out: try the whole send again
        raise self.retry(exc=error, countdown=countdown) from error
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


@shared_task(name=nightly.CATCH_UP_TASK, acks_late=True)
def nightly_catch_up_task() -> list[str]:
    """Queue the nightly runs that were missed (kpas/base/nightly.py); on beat every few
    minutes and once when a worker starts."""
    return nightly.nightly_catch_up()


@task_prerun.connect
def _nightly_run_started(sender: Any = None, **_: Any) -> None:
    if sender is not None:
        nightly.nightly_run_started(task=sender.name)


@task_success.connect
def _nightly_run_finished(sender: Any = None, **_: Any) -> None:
    if sender is not None:
        nightly.nightly_run_finished(task=sender.name)


@worker_ready.connect
def _catch_up_on_start(sender: Any = None, **_: Any) -> None:
    nightly_catch_up_task.delay()


__all__ = [
    "documents_tasks",
    "nightly_catch_up_task",
    "retention_purge_task",
    "send_email_task",
    "sweep_outbox_task",
]
