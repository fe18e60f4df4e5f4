"""The worker's PostgreSQL connections cut mid-task (what a server restart or a failover does
to them; done with pg_terminate_backend on this test database's worker connections only, never
by restarting the shared server): the task retries with backoff on a fresh connection and
completes exactly once (issue 15 item 6)."""

from __future__ import annotations

import pytest
from django.db import transaction

from kpas.base import outbox
from kpas.base.audit import AuditAction
from kpas.base.celery import app
from kpas.base.documents import services
from kpas.base.models import AuditEvent, Document, OutboxEmail
from kpas.base.roles import Role
from schools.models import Alert, ImportBatch, Mark, MarkChange
from schools.upload_tasks import import_apply_queue
from tests.factories import UserFactory
from tests.factories.attendance import AS_OF, constructed_school
from tests.faults.conftest import Workers, terminate_worker_backends, value
from tests.faults.imports import import_world, table_lock
from tests.faults.test_worker_killed import alert_keys
from tests.kpas.document_kinds import BLOCKING

pytestmark = pytest.mark.faults


def cut_connections(workers: Workers) -> None:
    if not terminate_worker_backends():
        workers.fail("the worker had no database connection to cut")


def test_the_database_lost_mid_send_records_the_email_without_sending_it_again(
    workers: Workers,
) -> None:
    with transaction.atomic():
        email = outbox.email_enqueue(
            key="db-lost:send", purpose="test", to=["school@example.org"], subject="Once",
            body="Body",
        )  # fmt: skip
    workers.start("worker")
    workers.wait_for(lambda: workers.lines("email-attempts"), "the worker to start sending")
    cut_connections(workers)  # the row lock and the open transaction are gone
    workers.release()  # ...and the message goes out

    workers.wait_for(
        lambda: value("SELECT status FROM kpas_outboxemail WHERE id = %s", email.pk) == "sent",
        "the email to be recorded as sent",
    )
    assert workers.lines("sent") == [f"{outbox.message_id_for(email)} Once"]
    assert workers.lines("email-attempts") == ["attempt"]  # recorded, not sent again
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT and email.sent_at is not None


def test_the_database_lost_mid_render_renders_the_letter_once(workers: Workers) -> None:
    owner = UserFactory(role=Role.COURTS_TEAM, email="owner@example.org")
    with transaction.atomic():
        document = services.document_request(
            kind=BLOCKING, key="db-lost:render", requested_by=owner,
            params={"owner": owner.email, "flags": str(workers.flags)},
        )  # fmt: skip
    workers.start("worker")  # a render "stuck" only after a minute: no sweeper needed here
    workers.wait_for(lambda: workers.lines("attempts"), "the worker to start rendering")
    cut_connections(workers)
    workers.release()

    workers.wait_for(
        lambda: value("SELECT status FROM kpas_document WHERE id = %s", document.pk) == "ready",
        "the letter to be rendered on a fresh connection",
    )
    assert workers.lines("attempts") == [str(document.pk)] * 2  # cut once, finished once
    assert Document.objects.filter(key="db-lost:render").count() == 1
    document.refresh_from_db()
    assert document.status == Document.Status.READY and bytes(document.content) == (
        b"%PDF-blocking"
    )


def test_the_database_lost_mid_evaluation_retries_it_once(workers: Workers) -> None:
    school = constructed_school().school
    expected = alert_keys(school.pk)
    Alert.objects.filter(school=school).delete()
    (workers.flags / "hold-evaluation").touch()

    result = app.send_task("schools.evaluate_school", args=(school.pk, AS_OF.isoformat()))
    workers.start("worker")
    workers.wait_for(lambda: workers.lines("evaluations"), "the worker to evaluate")
    cut_connections(workers)
    workers.release()

    workers.wait_for(lambda: result.state == "SUCCESS", "the evaluation to be retried")
    assert len(workers.lines("evaluations")) == 2
    assert alert_keys(school.pk) == expected


def test_the_database_lost_mid_import_applies_it_once(workers: Workers) -> None:
    world = import_world()
    batch = world.batch
    with table_lock("kpas_auditevent") as waiting_on_lock:
        import_apply_queue(batch.pk)
        workers.start("worker")
        workers.wait_for(waiting_on_lock, "the worker to reach the import's last write")
        cut_connections(workers)  # mid-import: its transaction is rolled back whole
    workers.wait_for(
        lambda: (
            value("SELECT status FROM schools_importbatch WHERE id = %s", batch.pk) == "applied"
        ),
        "the import to be retried and applied",
    )
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert batch.counts["marks"] == world.counts
    assert Mark.objects.filter(school=world.school).count() == world.marks_after
    assert MarkChange.objects.filter(school=world.school).count() == 1
    applied = AuditEvent.objects.filter(action=AuditAction.IMPORT_APPLIED, object_id=str(batch.pk))
    assert applied.count() == 1
