"""Celery queues, task options and routes, in one place.

Each kind of work has a queue of its own, so a county's morning imports never wait behind
letters or emails and workers can be added per queue (docs/operating.md). Routes go by task
name: a task's module never names its queue.
"""

from __future__ import annotations

from typing import Any

from django.db.utils import InterfaceError, OperationalError

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
    "schools.refresh_after_import_schools": {"queue": IMPORTS},
    "schools.sweep_imports": {"queue": IMPORTS},
    "schools.evaluate_*": {"queue": NIGHTLY},
    "referrals.purge_*": {"queue": NIGHTLY},
    "returns.*": {"queue": NIGHTLY},  # returns/: nightly entries and reminders
    "penalties.nightly_*": {"queue": NIGHTLY},  # penalties/tasks.py
    "cases.daily_reminders": {"queue": NIGHTLY},  # casework (referrals/cases)
    "kpas.outbox.*": {"queue": EMAIL},
    "kpas.documents.*": {"queue": DOCUMENTS},
    "kpas.retention.*": {"queue": NIGHTLY},  # kpas/base/retention.py
    "kpas.nightly.*": {"queue": NIGHTLY},  # the catch-up of missed nightly runs
    # Targeting Support Meetings (kpas/tsm).
    "kpas.tsm.*": {"queue": NIGHTLY},
}

# The database went away (PostgreSQL restarted, the connection was killed, a failover): the
# task is tried again later on a fresh connection. Celery's Django fix-up closes a connection
# that raised before the next task runs, so a retry never reuses the dead one.
DATABASE_LOST: tuple[type[Exception], ...] = (OperationalError, InterfaceError)

# The options every task shares (STYLE §7): late acknowledgement, a worker lost mid-task puts
# the message back, bounded retries with backoff (2, 4, 8, ... seconds, at most two minutes,
# jittered) when the broker or the database is unreachable.
TASK_OPTIONS: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "max_retries": 5,
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "autoretry_for": (ConnectionError, *DATABASE_LOST),
}


def database_retry_countdown(retries: int) -> int:
    """Seconds before trying a task again after the database went away (2, 4, 8, ... 120)."""
    return int(min(120, 2 ** (retries + 1)))
