"""A worker killed (SIGKILL) mid-task, then a new worker: exactly one of each outcome
(issue 15 item 6).

The email send and the letter render are killed the same way in
tests/kpas/test_worker_killed.py (run on Redis in CI's PostgreSQL run); here the nightly
evaluation and an import apply. Both hand the killed worker's message on through Redis:
unacknowledged (acks_late), it comes back after the broker's visibility timeout, made short
in the test (an hour in production, see docs/operating.md).
"""

from __future__ import annotations

import pytest

from kpas.base.audit import AuditAction
from kpas.base.celery import app
from kpas.base.models import AuditEvent
from schools.models import Alert, ImportBatch, Mark, MarkChange
from schools.upload_tasks import import_apply_queue
from tests.factories.attendance import AS_OF, constructed_school
from tests.faults.conftest import Workers, rows, value
from tests.faults.imports import import_world, table_lock

pytestmark = pytest.mark.faults

SHORT_VISIBILITY = {
    "KPAS_TEST_VISIBILITY_TIMEOUT": "3",
    "KPAS_TEST_RESTORE_INTERVAL": "1",
}


def alert_keys(school_id: int) -> list[tuple[int, str, str]]:
    return sorted(Alert.objects.filter(school_id=school_id).values_list("pupil_id", "kind", "key"))


def test_a_worker_killed_mid_evaluation_leaves_one_of_each_alert(workers: Workers) -> None:
    school = constructed_school().school
    expected = alert_keys(school.pk)
    assert len({kind for _, kind, _ in expected}) >= 3  # PA, SA, threshold, overdue N, ...
    Alert.objects.filter(school=school).delete()  # tonight's run has not happened yet
    (workers.flags / "hold-evaluation").touch()
    workers.env.update(SHORT_VISIBILITY)

    result = app.send_task("schools.evaluate_school", args=(school.pk, AS_OF.isoformat()))
    first = workers.start("first")
    workers.wait_for(lambda: workers.lines("evaluations"), "the first worker to evaluate")
    assert sorted(map(tuple, rows(ALERTS_SQL, school.pk))) == expected  # stored, not acked
    workers.kill(first)
    workers.release()

    workers.start("second")
    workers.wait_for(lambda: result.state == "SUCCESS", "the second worker to evaluate again")

    assert workers.lines("evaluations") == [f"{school.pk} {AS_OF.isoformat()}"] * 2
    assert alert_keys(school.pk) == expected  # exactly one of each, none lost
    assert Alert.objects.filter(school=school).count() == len(expected)


ALERTS_SQL = "SELECT pupil_id, kind, key FROM schools_alert WHERE school_id = %s"


def test_a_worker_killed_mid_import_applies_it_once(workers: Workers) -> None:
    world = import_world()
    batch = world.batch
    workers.env.update(SHORT_VISIBILITY)

    with table_lock("kpas_auditevent") as waiting_on_lock:
        import_apply_queue(batch.pk)
        first = workers.start("first")
        workers.wait_for(waiting_on_lock, "the first worker to reach the import's last write")
        # Mid-import: the marks are written in its open transaction, nothing committed.
        assert value("SELECT status FROM schools_importbatch WHERE id = %s", batch.pk) == (
            "processing"
        )
        workers.kill(first)
    workers.start("second")
    workers.wait_for(
        lambda: (
            value("SELECT status FROM schools_importbatch WHERE id = %s", batch.pk) == "applied"
        ),
        "the second worker to apply the import",
    )

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert batch.counts["marks"] == world.counts
    assert Mark.objects.filter(school=world.school).count() == world.marks_after
    assert MarkChange.objects.filter(school=world.school).count() == 1  # one correction, once
    applied = AuditEvent.objects.filter(action=AuditAction.IMPORT_APPLIED, object_id=str(batch.pk))
    assert applied.count() == 1
