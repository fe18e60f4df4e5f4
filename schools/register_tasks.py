"""Celery tasks that keep the register's derived data up to date: the nightly evaluation
and the refresh after an import. Thin and idempotent, one school per task (STYLE §7).

Task names are stable; their queues are set by name in kpas/base/queues.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from celery import shared_task
from django.utils import timezone

from kpas.base.queues import TASK_OPTIONS
from schools.calendar import academic_year_bounds, academic_year_of
from schools.evaluation import evaluate_school
from schools.models import School
from schools.projections import projections_refresh


@shared_task(name="schools.evaluate_school", **TASK_OPTIONS)
def evaluate_school_task(school_id: int, as_of: str) -> dict[str, object]:
    result = evaluate_school(school_id=school_id, as_of=date.fromisoformat(as_of))
    return {
        "school_id": school_id,
        "pupils": result.pupils,
        "raised": result.raised,
        "cleared": result.cleared,
    }


def evaluate_schools_queue(*, school_ids: Iterable[int], as_of: date) -> None:
    for school_id in school_ids:
        evaluate_school_task.delay(school_id, as_of.isoformat())


@shared_task(name="schools.evaluate_county", **TASK_OPTIONS)
def evaluate_county_task(as_of: str | None = None) -> int:
    """The nightly run: one evaluation task per school, spread across the workers."""
    day = date.fromisoformat(as_of) if as_of else timezone.localdate()
    school_ids = list(School.objects.values_list("pk", flat=True))
    evaluate_schools_queue(school_ids=school_ids, as_of=day)
    return len(school_ids)


@shared_task(name="schools.refresh_after_import", **TASK_OPTIONS)
def refresh_after_import_task(school_id: int, dates: list[str]) -> None:
    """After an import: patch the projections for the dates it touched, then re-evaluate.

    Safe to run twice: the refresh rewrites the same arrays and the evaluation is idempotent.
    """
    days = [date.fromisoformat(d) for d in dates]
    projections_refresh(school_id=school_id, dates=days)
    evaluate_school(school_id=school_id, as_of=evaluation_day(days, today=timezone.localdate()))


def evaluation_day(days: list[date], *, today: date) -> date:
    """Evaluate as of today for this year's marks; a past year's at that year's end."""
    year = academic_year_of(max(days))
    if year == academic_year_of(today):
        return today
    return academic_year_bounds(year)[1]


def import_follow_up_queue(dates_by_school: Mapping[int, Iterable[date]]) -> None:
    """Queue the post-import refresh and evaluation, one task per school."""
    for school_id, dates in dates_by_school.items():
        refresh_after_import_task.delay(school_id, sorted(d.isoformat() for d in dates))
