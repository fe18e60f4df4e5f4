"""Celery tasks that keep the register's derived data up to date: the nightly evaluation
and the refresh after an import. Thin and idempotent (STYLE §7). Work is queued in batches
of schools (`SCHOOLS_PER_TASK`), not one task per school: the cost of a county's morning is
then the work, not 600 round trips (ADR 0015). The one-school tasks stay for callers that
queue a single school, and for messages already queued under their names.

Task names are stable; their queues are set by name in kpas/base/queues.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from itertools import islice

from celery import shared_task
from django.utils import timezone

from kpas.base.queues import TASK_OPTIONS
from schools.calendar import academic_year_bounds, academic_year_of
from schools.evaluation import evaluate_school
from schools.models import School
from schools.projections import projections_refresh
from schools.projections_batch import projections_refresh_schools

SCHOOLS_PER_TASK = 25  # a county of 600 schools is 24 tasks; 2 workers share them evenly


def _batches(items: Iterable[int]) -> Iterator[list[int]]:
    iterator = iter(items)
    while batch := list(islice(iterator, SCHOOLS_PER_TASK)):
        yield batch


@shared_task(name="schools.evaluate_school", **TASK_OPTIONS)
def evaluate_school_task(school_id: int, as_of: str) -> dict[str, object]:
    result = evaluate_school(school_id=school_id, as_of=date.fromisoformat(as_of))
    return {
        "school_id": school_id,
        "pupils": result.pupils,
        "raised": result.raised,
        "cleared": result.cleared,
    }


@shared_task(name="schools.evaluate_schools", **TASK_OPTIONS)
def evaluate_schools_task(school_ids: Sequence[int], as_of: str) -> dict[str, int]:
    """Evaluate a batch of schools in one task; each school commits on its own."""
    return evaluate_schools(school_ids, as_of=date.fromisoformat(as_of))


def evaluate_schools(school_ids: Iterable[int], *, as_of: date) -> dict[str, int]:
    totals = {"schools": 0, "pupils": 0, "raised": 0, "cleared": 0}
    for school_id in school_ids:
        result = evaluate_school(school_id=school_id, as_of=as_of)
        totals["schools"] += 1
        totals["pupils"] += result.pupils
        totals["raised"] += result.raised
        totals["cleared"] += result.cleared
    return totals


def evaluate_schools_queue(*, school_ids: Iterable[int], as_of: date) -> None:
    for batch in _batches(school_ids):
        evaluate_schools_task.delay(batch, as_of.isoformat())


@shared_task(name="schools.evaluate_county", **TASK_OPTIONS)
def evaluate_county_task(as_of: str | None = None) -> int:
    """The nightly run: evaluation tasks of `SCHOOLS_PER_TASK` schools, across the workers."""
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


@shared_task(name="schools.refresh_after_import_schools", **TASK_OPTIONS)
def refresh_after_import_schools_task(dates_by_school: Mapping[str, list[str]]) -> int:
    """After an import, for a batch of schools: patch their projections for the dates it
    touched in a few statements (schools/projections_batch.py), then re-evaluate each.

    Safe to run twice: the refresh writes only rows that differ and the evaluation is
    idempotent. Returns the projection rows written."""
    days = {int(s): [date.fromisoformat(d) for d in ds] for s, ds in dates_by_school.items()}
    written = projections_refresh_schools(days)
    today = timezone.localdate()
    for school_id, school_days in sorted(days.items()):
        evaluate_school(school_id=school_id, as_of=evaluation_day(school_days, today=today))
    return written


def import_follow_up_queue(dates_by_school: Mapping[int, Iterable[date]]) -> None:
    """Queue the post-import refresh and evaluation, `SCHOOLS_PER_TASK` schools a task."""
    dates = {
        school_id: sorted(d.isoformat() for d in ds) for school_id, ds in dates_by_school.items()
    }
    for batch in _batches(sorted(dates)):
        refresh_after_import_schools_task.delay({str(s): dates[s] for s in batch})
