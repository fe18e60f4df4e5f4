"""Penalty notices' date rules (DOMAIN §5): deemed receipt, the notice-to-improve period and
the first five school days of an exclusion (scenario 3)."""

from __future__ import annotations

from datetime import date

import pytest

from penalties.rules import deemed_received, notice_to_improve_period, within_first_school_days
from schools.calendar import SchoolCalendar, england_bank_holidays

# Autumn 2025 with a half term 27-31 October; weekdays only.
CALENDAR = SchoolCalendar.from_terms(
    [(date(2025, 9, 3), date(2025, 10, 24)), (date(2025, 11, 3), date(2025, 12, 19))]
)
BANK_HOLIDAYS = england_bank_holidays([2025, 2026])


@pytest.mark.parametrize(
    ("sent", "delivery", "received"),
    [
        pytest.param(date(2025, 11, 20), "post", date(2025, 11, 24), id="thursday-post-monday"),
        pytest.param(date(2025, 12, 23), "post", date(2025, 12, 29), id="over-christmas"),
        pytest.param(date(2025, 11, 20), "hand", date(2025, 11, 20), id="by-hand-same-day"),
    ],
)
def test_deemed_receipt(sent, delivery, received):  # type: ignore[no-untyped-def]
    assert deemed_received(sent, delivery, BANK_HOLIDAYS) == received


def test_notice_to_improve_period_is_20_school_days_after_receipt():  # type: ignore[no-untyped-def]
    period = notice_to_improve_period(CALENDAR, date(2025, 10, 22))
    assert period.first_day == date(2025, 10, 23)
    # 23, 24 Oct then half term; 18 more school days from 3 November.
    assert period.last_day == date(2025, 11, 26)


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(2025, 11, 10), True),
        (date(2025, 11, 14), True),
        (date(2025, 11, 17), False),
        (date(2025, 11, 8), False),
        (date(2025, 11, 7), False),
    ],
)
def test_public_place_is_in_the_first_five_school_days(day, inside):  # type: ignore[no-untyped-def]
    assert within_first_school_days(CALENDAR, date(2025, 11, 10), day) is inside
