"""Celery tasks for the register: thin, idempotent, one school per task (STYLE §7)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from celery import shared_task
from django.utils import timezone

from schools.evaluation import evaluate_school
from schools.models import School
from schools.projections import projections_refresh

TASK_OPTIONS = {
    "acks_late": True,
    "max_retries": 3,
    "retry_backoff": True,
    "autoretry_for": (ConnectionError,),
}


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
    """After an import: patch the projections for the dates it touched, then re-evaluate."""
    days = [date.fromisoformat(d) for d in dates]
    projections_refresh(school_id=school_id, dates=days)
    evaluate_school(school_id=school_id, as_of=max(timezone.localdate(), max(days)))
