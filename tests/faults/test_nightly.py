"""Beat's schedule survives Redis; a missed nightly run catches up exactly once
(kpas/base/nightly.py; issue 15 item 6). Runs on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from kpas.base import tasks as base_tasks
from kpas.base.celery import app
from kpas.base.models import NightlyRun
from kpas.base.nightly import NightlyJob, due_day, nightly_catch_up, nightly_jobs
from kpas.settings import base as base_settings
from schools.register_tasks import evaluate_county_task

pytestmark = pytest.mark.django_db

JOB = "evaluate-registers-nightly"  # 02:00 every night
TASK = "schools.evaluate_county"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


TODAY = date(2026, 3, 10)
YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture(autouse=True)
def catch_up(settings):  # type: ignore[no-untyped-def]
    settings.NIGHTLY_CATCH_UP = (JOB,)


@pytest.fixture
def queued(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Run the catch-up as beat would, collecting the tasks it queues once committed."""
    sent: list[str] = []

    def run(now: datetime) -> list[str]:
        with django_capture_on_commit_callbacks(execute=True):
            nightly_catch_up(now=now, send=sent.append)
        return sent

    return run


@pytest.mark.parametrize(
    ("now", "day"),
    [
        (at(TODAY, 1, 59), YESTERDAY),  # before tonight's 02:00: last night's run
        (at(TODAY, 2, 0), TODAY),
        (at(TODAY, 23, 59), TODAY),
    ],
)
def test_the_run_due_is_the_latest_scheduled_one(now: datetime, day: date) -> None:
    job = NightlyJob(name=JOB, task=TASK, at=datetime(2026, 1, 1, 2, 0).time())
    assert due_day(job, now) == day


def test_no_run_recorded_last_night_is_queued_exactly_once(queued) -> None:  # type: ignore[no-untyped-def]
    now = at(TODAY, 1, 0)
    assert queued(now) == [TASK]
    assert queued(now + timedelta(minutes=10)) == [TASK]  # the next check queues nothing
    run = NightlyRun.objects.get()
    assert (run.job, run.day, run.caught_up, run.finished_at) == (JOB, YESTERDAY, 1, None)


def test_a_run_recorded_is_not_caught_up(queued) -> None:  # type: ignore[no-untyped-def]
    NightlyRun.objects.create(
        job=JOB, day=YESTERDAY, started_at=at(YESTERDAY, 2), finished_at=at(YESTERDAY, 2, 5)
    )
    assert queued(at(TODAY, 1, 0)) == []


def test_beats_own_run_has_time_to_start_before_the_catch_up(queued) -> None:  # type: ignore[no-untyped-def]
    assert queued(at(TODAY, 2, 10)) == []  # 10 minutes late: beat's message may be queued
    assert queued(at(TODAY, 2, 31)) == [TASK]


def test_a_run_lost_after_it_was_queued_is_queued_again_a_few_times_at_most(queued) -> None:  # type: ignore[no-untyped-def]
    NightlyRun.objects.create(job=JOB, day=YESTERDAY, queued_at=at(YESTERDAY, 2))
    checks = [(6, 0), (7, 0), (10, 30), (15, 0), (20, 0), (23, 0)]
    sent = [len(queued(at(YESTERDAY, hour, minute))) for hour, minute in checks]
    # Never finished 4 hours on: its message was lost. Queued again three times at most,
    # each after NIGHTLY_RUN_STUCK_AFTER without news.
    assert sent == [1, 1, 2, 3, 3, 3]
    assert NightlyRun.objects.get().caught_up == 3


def test_the_task_records_its_run_so_nothing_is_caught_up(queued) -> None:  # type: ignore[no-untyped-def]
    assert base_tasks.nightly_catch_up_task  # a worker imports it, connecting its signals
    evaluate_county_task.apply()  # as a worker runs it: task_prerun / task_success
    run = NightlyRun.objects.get(job=JOB)
    assert run.started_at is not None and run.finished_at is not None
    assert run.day == due_day(nightly_jobs()[0], timezone.now())
    assert queued(timezone.now()) == []


def test_only_once_a_day_entries_can_catch_up(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CELERY_BEAT_SCHEDULE = {
        **django_settings.CELERY_BEAT_SCHEDULE,
        "hourly": {"task": "x", "schedule": crontab(minute=0)},
    }
    settings.NIGHTLY_CATCH_UP = ("hourly",)
    with pytest.raises(ValueError, match="hourly is not a once-a-day crontab"):
        nightly_jobs()


def test_every_catch_up_job_of_the_real_schedule_is_daily() -> None:
    """The production list (the test settings switch the catch-up off): each names a beat
    entry that runs once a day, at one time."""
    names = base_settings.NIGHTLY_CATCH_UP
    jobs = nightly_jobs_of(names)
    assert [job.name for job in jobs] == list(names) and JOB in names
    assert {job.task for job in jobs} == {
        "schools.evaluate_county", "penalties.nightly_period_end", "returns.sync_county"
    }  # fmt: skip


def nightly_jobs_of(names: tuple[str, ...]) -> list[NightlyJob]:
    from django.test import override_settings

    with override_settings(NIGHTLY_CATCH_UP=names):
        return nightly_jobs()


@pytest.mark.django_db(transaction=True)  # the scheduler closes its connections as it goes
def test_beats_schedule_lives_in_the_database_not_in_redis() -> None:
    """The DatabaseScheduler seeds CELERY_BEAT_SCHEDULE into PostgreSQL; what Redis holds
    (messages, results) can be lost without losing a schedule."""
    assert django_settings.CELERY_BEAT_SCHEDULER.endswith("schedulers:DatabaseScheduler")
    DatabaseScheduler(app=app)
    stored = set(PeriodicTask.objects.values_list("name", flat=True))
    assert {JOB, "nightly-catch-up", "sweep-outbox", "sweep-documents"} <= stored
    if django_settings.REDIS_URL:
        import redis

        redis.Redis.from_url(django_settings.REDIS_URL).flushdb()
    schedule = DatabaseScheduler(app=app).schedule  # a beat started after Redis was emptied
    assert schedule[JOB].task == TASK
    assert schedule["nightly-catch-up"].task == "kpas.nightly.catch_up"
