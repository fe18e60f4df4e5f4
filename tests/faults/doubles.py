"""Test doubles that only a fault test's worker process loads: they make "mid-task" certain.

- the document kind `tests.blocking` (tests/kpas/document_kinds.py) and the email backend
  tests/kpas/blocking_email.py wait for the file `release` in KPAS_TEST_FLAGS;
- an evaluation hook (schools/evaluation_hooks.py), which runs in the nightly evaluation's
  task after the school's alerts are stored, notes each run in `evaluations` and, while a
  file `hold-evaluation` exists, waits for `release`, then reads the database as the real
  hooks do (so a connection cut meanwhile is noticed).
"""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

from schools.evaluation_hooks import evaluation_hook_register
from schools.models import School
from tests.kpas.document_kinds import register_test_kinds


def _flags() -> Path:
    return Path(os.environ["KPAS_TEST_FLAGS"])


def wait_for_release(flags: Path) -> None:
    deadline = time.monotonic() + 120
    while not (flags / "release").exists():
        if time.monotonic() > deadline:
            raise TimeoutError("never released")
        time.sleep(0.05)


def holding_hook(*, school_id: int, as_of: date) -> None:
    flags = _flags()
    with (flags / "evaluations").open("a") as runs:
        runs.write(f"{school_id} {as_of.isoformat()}\n")
    if (flags / "hold-evaluation").exists():
        wait_for_release(flags)
    School.objects.filter(pk=school_id).exists()


def register_doubles() -> None:
    register_test_kinds()
    evaluation_hook_register("tests.faults.holding", holding_hook)
