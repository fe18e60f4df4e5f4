"""The outbox (STYLE §16): an email is a row first, sent once by a named task on a worker."""

from __future__ import annotations

import time

import pytest
from django.core import mail
from django.db import transaction

from kpas.base import outbox
from kpas.base.models import OutboxEmail
from kpas.base.tasks import send_email_task


def _enqueue(key: str = "test:1") -> OutboxEmail:
    return outbox.email_enqueue(
        key=key, purpose="test", to=["school@example.org"], subject="Hello", body="Body"
    )


@pytest.mark.django_db
def test_same_key_is_one_row():
    first = _enqueue()
    second = _enqueue()
    assert first.pk == second.pk
    assert OutboxEmail.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_email():
    with pytest.raises(RuntimeError), transaction.atomic():
        _enqueue()
        raise RuntimeError("the change failed")
    assert OutboxEmail.objects.count() == 0


@pytest.mark.django_db
def test_send_marks_sent_and_a_second_send_does_nothing():
    email = _enqueue()
    outbox.email_send(email_id=email.pk)
    outbox.email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == outbox.message_id_for(email)


@pytest.mark.django_db
def test_a_failure_after_the_last_retry_is_recorded(settings):
    settings.EMAIL_BACKEND = "tests.kpas.failing_email.Backend"
    email = _enqueue()
    result = send_email_task.apply(args=(email.pk,), retries=send_email_task.max_retries)
    assert result.get() == "failed"
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.FAILED
    assert "refused" in email.last_error


def test_sent_by_a_real_worker(celery_worker_all_queues):
    with transaction.atomic():
        email = _enqueue("test:worker")
    deadline = time.monotonic() + 90  # a loaded machine polls the broker slowly
    while time.monotonic() < deadline:
        email.refresh_from_db()
        if email.status == OutboxEmail.Status.SENT:
            break
        time.sleep(0.1)
    assert email.status == OutboxEmail.Status.SENT
