"""Celery tasks for statutory returns: thin and idempotent (STYLE §7), one school per task.
Names are stable; kpas/base/queues.py routes returns.* to the nightly queue."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from kpas.base.queues import TASK_OPTIONS
from returns.offrolling_services import offrolling_signals_refresh
from returns.reminders import return_reminders_enqueue
from returns.services import return_entries_sync
from schools.models import School


@shared_task(name="returns.sync_school", **TASK_OPTIONS)
def sync_school_task(school_id: int, as_of: str) -> dict[str, object]:
    result = return_entries_sync(school_id=school_id, as_of=date.fromisoformat(as_of))
    return {"school_id": school_id, "created": result.created, "updated": result.updated}


@shared_task(name="returns.sync_county", **TASK_OPTIONS)
def sync_county_task(as_of: str | None = None) -> int:
    """After the nightly evaluation: one task per school turns its alerts into entries."""
    day = as_of or timezone.localdate().isoformat()
    school_ids = list(School.objects.values_list("pk", flat=True))
    for school_id in school_ids:
        sync_school_task.delay(school_id, day)
    return len(school_ids)


@shared_task(name="returns.send_reminders", **TASK_OPTIONS)
def send_reminders_task(as_of: str | None = None) -> int:
    """Reminders before and after each deadline, stored in the outbox under a key of their
    own: a re-run (or a retry after a worker died) sends nothing twice."""
    day = date.fromisoformat(as_of) if as_of else timezone.localdate()
    return return_reminders_enqueue(today=day)


@shared_task(name="returns.offrolling_signals", **TASK_OPTIONS)
def offrolling_signals_task(as_of: str | None = None) -> dict[str, int]:
    """Nightly, after the register imports and the evaluation: the off-rolling signals,
    set-based over the county; idempotent (a re-run creates nothing new)."""
    day = date.fromisoformat(as_of) if as_of else timezone.localdate()
    result = offrolling_signals_refresh(today=day)
    return {"created": result.created, "updated": result.updated, "cleared": result.cleared}
