"""Celery queues, task options and routes, in one place.

Each kind of work has a queue of its own, so a county's morning imports never wait behind
letters or emails and workers can be added per queue (docs/operating.md). Routes go by task
name: a task's module never names its queue.
"""

from __future__ import annotations

from typing import Any

IMPORTS = "imports"
NIGHTLY = "nightly"
DOCUMENTS = "documents"
EMAIL = "email"
DEFAULT = "celery"

ALL_QUEUES = (IMPORTS, NIGHTLY, DOCUMENTS, EMAIL, DEFAULT)

# Task names are stable (STYLE §7); globs route whole families.
TASK_ROUTES: dict[str, dict[str, str]] = {
    "schools.check_import": {"queue": IMPORTS},
    "schools.apply_import": {"queue": IMPORTS},
    "schools.refresh_after_import": {"queue": IMPORTS},
    "schools.sweep_imports": {"queue": IMPORTS},
    "schools.evaluate_*": {"queue": NIGHTLY},
    "referrals.purge_*": {"queue": NIGHTLY},
    "returns.*": {"queue": NIGHTLY},  # returns/: nightly entries and reminders
    "penalties.nightly_*": {"queue": NIGHTLY},  # penalties/tasks.py
    "cases.daily_reminders": {"queue": NIGHTLY},  # casework (referrals/cases)
    "kpas.outbox.*": {"queue": EMAIL},
    "kpas.documents.*": {"queue": DOCUMENTS},
    # Targeting Support Meetings (kpas/tsm).
    "kpas.tsm.*": {"queue": NIGHTLY},
}

# The options every task shares (STYLE §7): late acknowledgement, bounded retries with backoff.
TASK_OPTIONS: dict[str, Any] = {
    "acks_late": True,
    "max_retries": 3,
    "retry_backoff": True,
    "autoretry_for": (ConnectionError,),
}
