"""Celery tasks for Targeting Support Meetings: thin and idempotent, stable names (STYLE §7).
Beat runs the yearly proposal, the termly re-plan and the daily reminders
(CELERY_BEAT_SCHEDULE); queues are set by name in kpas/base/queues.py."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from kpas.base.queues import TASK_OPTIONS
from kpas.tsm.models import TsmPlan
from kpas.tsm.services import tsm_reminders_queue, tsm_school_replan, tsm_year_propose
from schools.calendar import academic_year_of


def _day(as_of: str | None) -> date:
    return date.fromisoformat(as_of) if as_of else timezone.localdate()


@shared_task(name="kpas.tsm.propose_year", **TASK_OPTIONS)
def propose_year_task(as_of: str | None = None) -> dict[str, int]:
    """Propose the school year's meetings; a second run finds every school planned."""
    today = _day(as_of)
    result = tsm_year_propose(academic_year=academic_year_of(today), today=today)
    return {"plans": result.plans_created, "meetings": result.meetings_created}


@shared_task(name="kpas.tsm.replan_school", **TASK_OPTIONS)
def replan_school_task(school_id: int, as_of: str) -> bool:
    return tsm_school_replan(school_id=school_id, today=date.fromisoformat(as_of))


@shared_task(name="kpas.tsm.replan_all", **TASK_OPTIONS)
def replan_all_task(as_of: str | None = None) -> int:
    """The termly re-plan: one task per planned school, spread across the workers."""
    today = _day(as_of)
    school_ids = list(
        TsmPlan.objects.filter(academic_year=academic_year_of(today)).values_list(
            "school_id", flat=True
        )
    )
    for school_id in school_ids:
        replan_school_task.delay(school_id, today.isoformat())
    return len(school_ids)


@shared_task(name="kpas.tsm.send_reminders", **TASK_OPTIONS)
def send_reminders_task(as_of: str | None = None) -> int:
    return tsm_reminders_queue(today=_day(as_of))
