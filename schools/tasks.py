"""Celery tasks for the register: thin, idempotent, one school per task (STYLE §7)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from celery import shared_task
from django.utils import timezone

from schools.calendar import academic_year_bounds, academic_year_of
from schools.evaluation import evaluate_school
from schools.models import ImportBatch, School
from schools.projections import projections_refresh
from schools.uploads import upload_apply, upload_check

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


# --- files uploaded in the browser (schools/uploads.py) -------------------------------------
def import_task_id(batch_id: int, step: str) -> str:
    """Made before the task is queued, so the progress page can ask the result backend."""
    return f"kpas-import-{batch_id}-{step}"


def _stage_reporter(task: Any) -> Callable[[str, int], None] | None:
    """Publishes the stage through the result backend: the batch row itself is inside the
    import's transaction, so nothing written to it shows until the end."""
    if not task.request.id:
        return None  # called directly (tests, a shell): nobody is watching

    def report(stage: str, rows_total: int) -> None:
        task.update_state(state="PROGRESS", meta={"stage": stage, "rows_total": rows_total})

    return report


@shared_task(name="schools.check_import", bind=True, **TASK_OPTIONS)
def check_import_task(self: Any, batch_id: int) -> str | None:
    """Check a large uploaded file (what it would change), writing nothing else."""
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status != ImportBatch.Status.RECEIVED:
        return batch.status if batch else None  # gone, or already checked
    report = _stage_reporter(self)
    if report:
        report("checking", 0)
    return upload_check(batch=batch).status


@shared_task(name="schools.apply_import", bind=True, **TASK_OPTIONS)
def apply_import_task(self: Any, batch_id: int) -> str | None:
    """Apply a confirmed upload. Idempotent: a batch already applied, rejected or unchanged
    (or never confirmed) is left as it is."""
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status != ImportBatch.Status.PROCESSING:
        return batch.status if batch else None
    applied = upload_apply(batch_id=batch_id, progress=_stage_reporter(self))
    return applied.status if applied else None


def import_check_queue(batch_id: int) -> None:
    check_import_task.apply_async((batch_id,), task_id=import_task_id(batch_id, "check"))


def import_apply_queue(batch_id: int) -> None:
    apply_import_task.apply_async((batch_id,), task_id=import_task_id(batch_id, "apply"))
