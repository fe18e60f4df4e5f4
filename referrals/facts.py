"""What the Digital Front Door adds to the register's read model (`schools.register_facts`):
the current run of continuous absence (a returns rule) and the snapshot kept with a
submission."""

from __future__ import annotations

from typing import Any

from returns.rules import AbsenceRun, continuous_absence_to
from schools.register_facts import RegisterFacts


def current_absence_run(facts: RegisterFacts) -> AbsenceRun:
    """The run of G/N/O sessions that ends on the register's last day (reg 9 1(i)/3(c))."""
    return continuous_absence_to(facts.marks, facts.calendar, end=facts.as_of)


def register_snapshot(facts: RegisterFacts | None) -> dict[str, Any]:
    """The figures the school saw when it sent, kept with the submission."""
    if facts is None:
        return {}
    return facts.snapshot() | {
        "continuous_absence_school_days": current_absence_run(facts).school_days
    }
