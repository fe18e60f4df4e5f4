"""Redis emptied (FLUSHDB) while work is queued: the rows in PostgreSQL are the truth, and the
sweepers queue again what the broker lost; each piece of work completes exactly once
(issue 15 item 6)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from kpas.base import outbox
from kpas.base.audit import AuditAction
from kpas.base.celery import app
from kpas.base.documents import services
from kpas.base.models import AuditEvent, Document, OutboxEmail
from kpas.base.queues import DOCUMENTS, EMAIL, IMPORTS
from kpas.base.roles import Role
from schools.import_recovery_tasks import sweep_imports_task
from schools.models import ImportBatch, Mark, MarkChange
from schools.upload_tasks import import_apply_queue
from tests.factories import UserFactory
from tests.faults.conftest import Workers, redis_client, value
from tests.faults.imports import import_world
from tests.kpas.document_kinds import BLOCKING

pytestmark = pytest.mark.faults

# The stuck-import sweeper (issue 15 item 1): sent by name, as beat sends it, to the workers.
IMPORT_SWEEP_TASK = sweep_imports_task.name


def test_work_queued_when_redis_is_emptied_is_done_once(workers: Workers) -> None:
    owner = UserFactory(role=Role.COURTS_TEAM, email="owner@example.org")
    long_ago = timezone.now() - timedelta(hours=1)  # queued before Redis was emptied
    with transaction.atomic():
        email = outbox.email_enqueue(
            key="flushed:email", purpose="test", to=["school@example.org"], subject="Once",
            body="Body",
        )  # fmt: skip
        document = services.document_request(
            kind=BLOCKING, key="flushed:letter", requested_by=owner,
            params={"owner": owner.email, "flags": str(workers.flags)},
        )  # fmt: skip
    OutboxEmail.objects.filter(pk=email.pk).update(created_at=long_ago)
    Document.objects.filter(pk=document.pk).update(requested_at=long_ago)

    broker = redis_client()
    assert [broker.llen(queue) for queue in (EMAIL, DOCUMENTS)] == [1, 1]
    broker.flushdb()  # Redis lost everything: messages, results, unacknowledged deliveries
    assert broker.dbsize() == 0

    workers.release()  # the test doubles do not pause here
    workers.start("after-flush")
    app.send_task("kpas.outbox.sweep")  # as beat does every few minutes
    app.send_task("kpas.documents.sweep")

    def done() -> bool:
        return (
            value("SELECT status FROM kpas_outboxemail WHERE id = %s", email.pk) == "sent"
            and value("SELECT status FROM kpas_document WHERE id = %s", document.pk) == "ready"
        )

    workers.wait_for(done, "the sweepers' work to be done")
    assert workers.lines("sent") == [f"{outbox.message_id_for(email)} Once"]
    assert workers.lines("attempts") == [str(document.pk)]  # rendered once
    assert Document.objects.filter(key="flushed:letter").count() == 1


def test_an_import_queued_when_redis_is_emptied_is_applied_once(workers: Workers) -> None:
    world = import_world()
    import_apply_queue(world.batch.pk)
    broker = redis_client()
    assert broker.llen(IMPORTS) == 1
    broker.flushdb()

    # Stuck after a second rather than 40 minutes.
    workers.start("after-flush", IMPORT_STUCK_AFTER_SECONDS="1")
    time.sleep(1.5)
    app.send_task(IMPORT_SWEEP_TASK)  # as beat does
    workers.wait_for(
        lambda: (
            value("SELECT status FROM schools_importbatch WHERE id = %s", world.batch.pk)
            == "applied"
        ),
        "the import sweeper to have the import applied",
    )
    batch = ImportBatch.objects.get(pk=world.batch.pk)
    assert batch.counts["marks"] == world.counts
    assert Mark.objects.filter(school=world.school).count() == world.marks_after
    assert MarkChange.objects.filter(school=world.school).count() == 1
    applied = AuditEvent.objects.filter(action=AuditAction.IMPORT_APPLIED, object_id=str(batch.pk))
    assert applied.count() == 1
