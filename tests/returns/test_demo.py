"""The returns demo: entries from the nightly run, and the summer term's story (compliant,
late; overdue where the demo has a third school)."""

from __future__ import annotations

from datetime import date

import pytest

from kpas.base.models import User
from returns import rules
from returns.models import ReturnEntry
from returns.selectors import compliance_for

pytestmark = pytest.mark.django_db


def test_demo_summer_returns_sent_on_time_and_late(demo_world):  # type: ignore[no-untyped-def]
    admin = User.objects.filter(is_superuser=True).first()
    rows = compliance_for(admin, today=date(2026, 11, 20), starts=date(2026, 4, 13))
    statuses = sorted(row.status for row in rows)
    assert ReturnEntry.objects.filter(kind="irregular").count() == 4
    assert rules.SENT in statuses and rules.LATE in statuses


def test_demo_has_off_rolling_signals_from_the_nightly_task(demo_world):  # type: ignore[no-untyped-def]
    """The seed runs the real nightly task on the demo's data: (a), (b), (d) and (e) in the
    small demo; (c) needs a special school, which only the full demo has (the story picks
    Wealdview Special School there: returns.demo_offrolling)."""
    from returns.models import OffRollingSignal
    from returns.offrolling_services import offrolling_signals_refresh
    from schools.demo import DEMO_AS_OF

    kinds = set(OffRollingSignal.objects.values_list("kind", flat=True))
    assert {"no_valid_ground", "cme_incomplete", "stopped_appearing", "late_lost_ctf"} <= kinds
    again = offrolling_signals_refresh(today=DEMO_AS_OF)
    assert (again.created, again.updated, again.cleared) == (0, 0, 0)
