"""The nightly fan-out runs on a real Celery worker over the configured broker
(the filesystem broker embedded, Redis when REDIS_URL is set): no eager mode."""

from __future__ import annotations

from datetime import date

import pytest
from celery.contrib.testing.worker import start_worker

from kpas.celery import app
from schools.models import Alert, School
from schools.tasks import evaluate_county_task, evaluate_school_task

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker():  # type: ignore[no-untyped-def]
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as w:
        yield w


def test_evaluate_school_task_runs_on_a_worker(demo_world, worker):  # type: ignore[no-untyped-def]
    Alert.objects.all().delete()
    school = School.objects.get(urn="118001")
    result = evaluate_school_task.delay(school.pk, "2026-11-20")
    outcome = result.get(timeout=60)
    assert outcome["school_id"] == school.pk
    assert outcome["raised"] == Alert.objects.filter(school=school).count() > 0


def test_county_task_fans_out_one_task_per_school(demo_world, worker):  # type: ignore[no-untyped-def]
    Alert.objects.all().delete()
    queued = evaluate_county_task.delay(date(2026, 11, 20).isoformat()).get(timeout=60)
    assert queued == School.objects.count()
    # The per-school tasks run on the same worker after the fan-out returns.
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if Alert.objects.values("school").distinct().count() == School.objects.count():
            break
        time.sleep(0.5)
    assert Alert.objects.values("school").distinct().count() == School.objects.count()
