"""The casework clocks on a school calendar (DOMAIN §10, §11, §13; KSAH §18-19, §22-23;
SI 2012/1033 reg 24), table-driven and with Hypothesis for the date arithmetic."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from referrals.cases import clocks
from schools.calendar import SchoolCalendar, england_bank_holidays

# Autumn 2025 with half term 27-31 Oct; spring 2026 from 5 Jan (bank holidays excluded).
CAL = SchoolCalendar.from_terms(
    [(date(2025, 9, 3), date(2025, 12, 19)), (date(2026, 1, 5), date(2026, 3, 27))],
    closures=[(date(2025, 10, 27), date(2025, 10, 31))],
)
BANK = england_bank_holidays({2025, 2026})


@pytest.mark.parametrize(
    ("sessions", "days"),
    [
        pytest.param(1, Fraction(1, 2), id="one-lunchtime-is-half-a-day"),
        pytest.param(2, Fraction(1), id="one-day"),
        pytest.param(7, Fraction(7, 2), id="three-days-and-a-lunchtime"),
    ],
)
def test_sessions_as_school_days(sessions: int, days: Fraction) -> None:
    assert clocks.school_days_from_sessions(sessions) == days


@pytest.mark.parametrize(
    ("start", "end", "sixth"),
    [
        pytest.param(date(2025, 11, 3), None, date(2025, 11, 10), id="permanent-monday"),
        pytest.param(date(2025, 11, 3), date(2025, 11, 7), None, id="five-day-suspension-none"),
        pytest.param(date(2025, 10, 22), date(2025, 11, 7), date(2025, 11, 5), id="over-half-term"),
        pytest.param(date(2025, 11, 1), None, date(2025, 11, 10), id="from-a-saturday"),
    ],
)
def test_day_six(start: date, end: date | None, sixth: date | None) -> None:
    assert clocks.day_six(start, end, CAL) == sixth


def test_back_to_back_suspensions_are_joined() -> None:
    periods = [
        (date(2025, 11, 3), date(2025, 11, 5)),
        (date(2025, 11, 6), date(2025, 11, 7)),  # the next school day: joined
        (date(2025, 11, 10), date(2025, 11, 11)),  # Monday after Friday: joined
        (date(2025, 11, 13), date(2025, 11, 14)),  # a school day's gap: separate
    ]
    assert clocks.join_back_to_back(periods, CAL) == [
        (date(2025, 11, 3), date(2025, 11, 11)),
        (date(2025, 11, 13), date(2025, 11, 14)),
    ]
    # Friday before half term and Monday after it are back to back.
    assert clocks.join_back_to_back(
        [(date(2025, 10, 23), date(2025, 10, 24)), (date(2025, 11, 3), date(2025, 11, 4))], CAL
    ) == [(date(2025, 10, 23), date(2025, 11, 4))]


@pytest.mark.parametrize(
    ("permanent", "term_days", "exam", "representations", "clock"),
    [
        pytest.param(True, Fraction(0), False, False, 15, id="permanent-15"),
        pytest.param(False, Fraction(31, 2), False, False, 15, id="over-15-in-term-15"),
        pytest.param(False, Fraction(15), False, True, 50, id="exactly-15-with-reps-50"),
        pytest.param(False, Fraction(3), True, False, 15, id="public-exam-15"),
        pytest.param(False, Fraction(11, 2), False, True, 50, id="over-5-with-reps-50"),
        pytest.param(False, Fraction(11, 2), False, False, None, id="over-5-no-reps-none"),
        pytest.param(False, Fraction(5), False, True, None, id="exactly-5-none"),
    ],
)
def test_governors_clock(
    permanent: bool, term_days: Fraction, exam: bool, representations: bool, clock: int | None
) -> None:
    assert (
        clocks.governors_clock(
            permanent=permanent,
            term_days=term_days,
            public_exam=exam,
            representations=representations,
        )
        == clock
    )


def test_governors_deadline_counts_school_days() -> None:
    # Notified Fri 17 Oct: 15 school days skip half term -> Fri 14 Nov.
    assert clocks.governors_deadline(date(2025, 10, 17), 15, CAL) == date(2025, 11, 14)
    assert clocks.governors_deadline(date(2026, 3, 20), 50, CAL) is None  # beyond term dates


@pytest.mark.parametrize(
    ("days", "status"),
    [
        pytest.param(Fraction(39), "", id="39"),
        pytest.param(Fraction(40), "nearing", id="40-nearing"),
        pytest.param(Fraction(45), "reached", id="45-reached"),
        pytest.param(Fraction(91, 2), "over", id="45-and-a-half-over"),
    ],
)
def test_yearly_cap(days: Fraction, status: str) -> None:
    assert clocks.yearly_cap_status(days) == status


def test_review_window_by_hand_and_by_post() -> None:
    # Given by hand Mon 3 Nov: 15 school days later is Mon 24 Nov.
    hand = clocks.review_request_deadline(
        notice_on=date(2025, 11, 3), by_post=False, calendar=CAL, bank_holidays=BANK
    )
    assert hand == date(2025, 11, 24)
    # Posted Fri 31 Oct: deemed given Tue 4 Nov (2nd working day) -> Tue 25 Nov.
    post = clocks.review_request_deadline(
        notice_on=date(2025, 10, 31), by_post=True, calendar=CAL, bank_holidays=BANK
    )
    assert post == date(2025, 11, 25)


def test_cme_enquiries_due_in_10_school_days() -> None:
    assert clocks.cme_enquiries_due(date(2025, 10, 20), CAL) == date(2025, 11, 10)


@given(st.dates(date(2025, 9, 1), date(2026, 2, 20)))
def test_cme_due_is_always_ten_school_days_later(received: date) -> None:
    due = clocks.cme_enquiries_due(received, CAL)
    assert due is not None
    assert CAL.count_school_days(received + timedelta(days=1), due) == 10
    assert CAL.is_school_day(due)


def test_next_review() -> None:
    reviews = [date(2025, 11, 1), date(2025, 12, 1), date(2025, 12, 15)]
    assert clocks.next_review(reviews, date(2025, 11, 28)) == date(2025, 12, 1)
    assert clocks.next_review(reviews, date(2025, 12, 16)) is None


@pytest.mark.parametrize(
    ("c2", "open_", "days", "message"),
    [
        pytest.param(4, False, 20, clocks.C2_WITHOUT_TIMETABLE, id="c2-without-timetable"),
        pytest.param(0, True, 20, clocks.TIMETABLE_WITHOUT_C2, id="timetable-without-c2"),
        pytest.param(0, True, 5, "", id="timetable-just-started"),
        pytest.param(4, True, 20, "", id="agree"),
        pytest.param(0, False, 20, "", id="neither"),
    ],
)
def test_part_time_c2_check(c2: int, open_: bool, days: int, message: str) -> None:
    assert (
        clocks.part_time_c2_check(c2_sessions=c2, timetable_open=open_, school_days=days) == message
    )
