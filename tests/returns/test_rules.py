"""Returns' rules (reg 9; KSAH §22): continuous absence for 1(i)/3(c), the 1(h) date and when
a child-missing-education referral is due."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from returns.rules import cme_referral_due, continuous_absence_to, leave_ground_met_on
from schools.calendar import SchoolCalendar
from schools.rules import SessionMark

# Autumn 2025 with a half term 27-31 October; weekdays only.
CALENDAR = SchoolCalendar.from_terms(
    [(date(2025, 9, 3), date(2025, 10, 24)), (date(2025, 11, 3), date(2025, 12, 19))]
)


def marks(day: date, codes: str) -> list[SessionMark]:
    """Consecutive school days from `day`, two codes each (AM, PM)."""
    out, days = [], CALENDAR.school_days_between(day, date(2025, 12, 19))
    for index in range(0, len(codes), 2):
        d = days[index // 2]
        out += [SessionMark(d, "AM", codes[index]), SessionMark(d, "PM", codes[index + 1])]
    return out


@pytest.mark.parametrize(
    ("codes", "sessions"),
    [
        pytest.param("//" + "GO" * 20, 40, id="twenty-days-of-g-and-o"),
        pytest.param("GG" * 10 + "OU" + "NN" * 5, 10, id="u-breaks-the-run"),
        pytest.param("GGNN" + "/\\", 0, id="present-at-the-end"),
        pytest.param("OO#" + "#" + "OO", 4, id="closure-skipped"),
    ],
)
def test_continuous_absence_counts_back_from_the_end(codes, sessions):  # type: ignore[no-untyped-def]
    given = marks(date(2025, 11, 3), codes)
    end = given[-1].date
    assert continuous_absence_to(given, CALENDAR, end=end).sessions == sessions


def test_cme_due_and_1h_dates_count_school_days():  # type: ignore[no-untyped-def]
    # 21-24 October, half term, then 3-7 and 10 November.
    assert cme_referral_due(CALENDAR, date(2025, 10, 20)) == date(2025, 11, 10)
    assert leave_ground_met_on(CALENDAR, date(2025, 12, 12)) is None  # past the term dates


@given(st.dates(min_value=date(2025, 9, 3), max_value=date(2025, 11, 20)))
def test_cme_due_is_ten_school_days_later(last):  # type: ignore[no-untyped-def]
    due = cme_referral_due(CALENDAR, last)
    assert due is not None and due > last
    assert CALENDAR.count_school_days(last + timedelta(days=1), due) == 10
