"""The import sweeper on beat (schools/import_recovery.py): thin, idempotent, safe to run
twice — two sweeps at once queue a stuck file twice at most, and its task is idempotent."""

from __future__ import annotations

from celery import shared_task

from kpas.base.queues import TASK_OPTIONS
from schools.import_recovery import imports_sweep


@shared_task(name="schools.sweep_imports", **TASK_OPTIONS)
def sweep_imports_task() -> dict[str, int]:
    return imports_sweep()
