"""Named Celery tasks of casework (thin: they call a service)."""

from __future__ import annotations

from celery import shared_task

from kpas.base.queues import TASK_OPTIONS
from referrals import clock
from referrals.cases.reminders import reminders_create

DAILY_REMINDERS_TASK = "cases.daily_reminders"


@shared_task(name=DAILY_REMINDERS_TASK, **TASK_OPTIONS)
def daily_reminders_task() -> int:
    """Daily, on beat: due and overdue reminders and one digest per officer. Safe to run twice."""
    return reminders_create(today=clock.today())
