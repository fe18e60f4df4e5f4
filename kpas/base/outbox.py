"""The outbox: every email is a stored row, created in the transaction that causes it and
sent by a named Celery task (STYLE §16; DESIGN "How data flows" 5).

Nothing leaves from a web request. A rolled-back change leaves no row and sends nothing; a
worker killed mid-send leaves the row pending, and the redelivered task sends it once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import DatabaseError, transaction
from django.utils import timezone

from kpas.base.celery import app as celery_app
from kpas.base.models import OutboxEmail

# Pending rows older than this are queued again by the sweeper (a queueing lost with Redis).
STALE_AFTER = timedelta(minutes=10)
SEND_EMAIL_TASK = "kpas.outbox.send_email"


def email_enqueue(
    *, key: str, purpose: str, to: Iterable[str], subject: str, body: str
) -> OutboxEmail:
    """Store an email to send once the surrounding transaction commits.

    Idempotent: a second call with the same key returns the first row and queues nothing new.
    """
    recipients = sorted({address.strip() for address in to if address and address.strip()})
    email, created = OutboxEmail.objects.get_or_create(
        key=key,
        defaults={"purpose": purpose, "to": recipients, "subject": subject, "body": body},
    )
    if created:
        email_id = email.pk
        transaction.on_commit(lambda: _queue(email_id))
    return email


def _queue(email_id: int) -> None:
    # By the task's stable name (kpas/base/tasks.py): the task module imports this one.
    celery_app.send_task(SEND_EMAIL_TASK, args=(email_id,))


def message_id_for(email: OutboxEmail) -> str:
    """A stable Message-ID from the key, so a receiving server can recognise a resend."""
    digest = hashlib.sha256(email.key.encode()).hexdigest()[:32]
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"<{digest}@{domain}>"


class SentNotRecorded(Exception):
    """The message went out but the database went away before its row was marked sent: the
    caller records it with `email_mark_sent`, never by sending it again."""


def email_send(*, email_id: int) -> OutboxEmail | None:
    """Send one stored email unless it is already sent. The row stays locked while the message
    goes out and is marked sent in the same transaction: a crash mid-send rolls the mark back
    and the redelivered task sends it (once). A database lost after the message went out
    raises SentNotRecorded, so the retry records it instead of sending it twice."""
    delivered = False
    try:
        with transaction.atomic():
            email = OutboxEmail.objects.select_for_update().filter(pk=email_id).first()
            if email is None or email.status == OutboxEmail.Status.SENT:
                return email
            if not email.to:
                email.status = OutboxEmail.Status.FAILED
                email.last_error = "No recipient."
                email.save(update_fields=["status", "last_error"])
                return email
            message = EmailMessage(
                subject=email.subject,
                body=email.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=list(email.to),
                headers={"Message-ID": message_id_for(email)},
            )
            message.send(fail_silently=False)
            delivered = True
            _mark_sent(email)
            return email
    except DatabaseError as error:
        if delivered:
            raise SentNotRecorded(f"email {email_id} was sent but not recorded") from error
        raise


def email_mark_sent(*, email_id: int) -> OutboxEmail | None:
    """Record as sent an email that went out when the database was lost (SentNotRecorded)."""
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is not None and email.status != OutboxEmail.Status.SENT:
            _mark_sent(email)
        return email


def _mark_sent(email: OutboxEmail) -> None:
    email.status = OutboxEmail.Status.SENT
    email.sent_at = timezone.now()
    email.attempts += 1
    email.last_error = ""
    email.save(update_fields=["status", "sent_at", "attempts", "last_error"])


def email_attempt_failed(*, email_id: int, error: str, final: bool) -> None:
    """Record a failed attempt; after the last retry the row is marked failed for operators."""
    fields: dict[str, object] = {"last_error": error[:2000]}
    if final:
        fields["status"] = OutboxEmail.Status.FAILED
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status == OutboxEmail.Status.SENT:
            return
        email.attempts += 1
        for name, value in fields.items():
            setattr(email, name, value)
        email.save(update_fields=["attempts", *fields])


def stale_emails(*, now: datetime | None = None) -> list[int]:
    cutoff = (now or timezone.now()) - STALE_AFTER
    return list(
        OutboxEmail.objects.filter(
            status=OutboxEmail.Status.PENDING, created_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
