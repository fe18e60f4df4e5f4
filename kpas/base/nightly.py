"""Nightly jobs that catch up: a run beat never started (beat or the workers down at 02:00,
the message lost with Redis) is queued once, as soon as it is noticed.

Beat's schedule itself lives in PostgreSQL (django-celery-beat's DatabaseScheduler, seeded
from settings.CELERY_BEAT_SCHEDULE), so emptying Redis loses no schedule, only messages.
What catches up is the beat entries named in settings.NIGHTLY_CATCH_UP: each runs once a day
at a fixed time and is idempotent. A run is recorded as a NightlyRun row (one per job and
day) when its task starts, and finished when it succeeds. The catch-up task (on beat every
few minutes, and once when a worker starts) looks at each job's latest scheduled time: if
it is more than NIGHTLY_CATCH_UP_AFTER ago and no run of that day is recorded, it records one
and queues the task; a recorded run that never finished (its message lost) is queued again
after NIGHTLY_RUN_STUCK_AFTER, at most NIGHTLY_CATCH_UP_LIMIT times.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from celery.schedules import crontab
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kpas.base.celery import app as celery_app
from kpas.base.models import NightlyRun

CATCH_UP_TASK = "kpas.nightly.catch_up"
CATCH_UP_AFTER = timedelta(minutes=30)
RUN_STUCK_AFTER = timedelta(hours=3)
CATCH_UP_LIMIT = 3

Send = Callable[[str], Any]


@dataclass(frozen=True)
class NightlyJob:
    name: str  # the beat entry
    task: str
    at: time  # local time (settings.TIME_ZONE)


def nightly_jobs() -> list[NightlyJob]:
    """The catch-up jobs, from the beat schedule. Each must run daily at one fixed time."""
    jobs = []
    for name in getattr(settings, "NIGHTLY_CATCH_UP", ()):
        entry = settings.CELERY_BEAT_SCHEDULE[name]
        schedule = entry["schedule"]
        if not isinstance(schedule, crontab) or not _daily(schedule):
            raise ValueError(f"NIGHTLY_CATCH_UP: {name} is not a once-a-day crontab")
        (hour,), (minute,) = schedule.hour, schedule.minute
        jobs.append(NightlyJob(name=name, task=entry["task"], at=time(hour, minute)))
    return jobs


def _daily(schedule: crontab) -> bool:
    return (
        len(schedule.hour) == 1
        and len(schedule.minute) == 1
        and schedule.day_of_week == set(range(7))
        and schedule.day_of_month == set(range(1, 32))
        and schedule.month_of_year == set(range(1, 13))
    )


def due_day(job: NightlyJob, now: datetime) -> date:
    """The day of the job's latest scheduled run at or before `now`."""
    local = timezone.localtime(now)
    return local.date() if local.time() >= job.at else local.date() - timedelta(days=1)


def _scheduled_at(job: NightlyJob, day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, job.at))


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def nightly_catch_up(*, now: datetime | None = None, send: Send | None = None) -> list[str]:
    """Queue each job whose latest scheduled run is missing (or lost); returns their names.
    Safe to run from several places at once: the row is the claim."""
    now = now or timezone.now()
    send = send or _send
    queued = []
    for job in nightly_jobs():
        day = due_day(job, now)
        if now - _scheduled_at(job, day) < _setting("NIGHTLY_CATCH_UP_AFTER", CATCH_UP_AFTER):
            continue  # beat's own run may still be on its way
        if _claim(job, day, now=now):
            task = job.task
            transaction.on_commit(lambda task=task: send(task))  # type: ignore[misc]
            queued.append(job.name)
    return queued


@transaction.atomic
def _claim(job: NightlyJob, day: date, *, now: datetime) -> bool:
    run, created = NightlyRun.objects.get_or_create(
        job=job.name, day=day, defaults={"queued_at": now, "caught_up": 1}
    )
    if created:
        return True
    run = NightlyRun.objects.select_for_update().get(pk=run.pk)
    stuck = now - _setting("NIGHTLY_RUN_STUCK_AFTER", RUN_STUCK_AFTER)
    last_seen = run.started_at or run.queued_at
    if (
        run.finished_at is None
        and last_seen < stuck
        and run.caught_up < _setting("NIGHTLY_CATCH_UP_LIMIT", CATCH_UP_LIMIT)
    ):
        run.queued_at, run.started_at = now, None
        run.caught_up += 1
        run.save(update_fields=["queued_at", "started_at", "caught_up"])
        return True
    return False


def _send(task: str) -> None:
    celery_app.send_task(task)


def _job_for_task(task: str) -> NightlyJob | None:
    return next((job for job in nightly_jobs() if job.task == task), None)


def nightly_run_started(*, task: str, now: datetime | None = None) -> None:
    """A catch-up job's task started: its day's run is taken (by beat's run or a catch-up)."""
    job = _job_for_task(task)
    if job is None:
        return
    now = now or timezone.now()
    run, created = NightlyRun.objects.get_or_create(
        job=job.name, day=due_day(job, now), defaults={"queued_at": now, "started_at": now}
    )
    if not created:
        NightlyRun.objects.filter(pk=run.pk).update(started_at=now)


def nightly_run_finished(*, task: str, now: datetime | None = None) -> None:
    """A catch-up job's task succeeded: its latest unfinished run is done."""
    job = _job_for_task(task)
    if job is None:
        return
    now = now or timezone.now()
    run = NightlyRun.objects.filter(job=job.name, finished_at__isnull=True).order_by("-day").first()
    if run is not None:
        NightlyRun.objects.filter(pk=run.pk).update(finished_at=now)
