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
