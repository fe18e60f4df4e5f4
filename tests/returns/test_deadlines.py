"""Return periods and deadlines (reg 13; KSAH §24; DOMAIN §8), and where a school's period
stands, over a Kent year's terms, half-terms, bank holidays and INSET days."""

from __future__ import annotations

from datetime import date

import pytest

from returns.rules import (
    DUE,
    LATE,
    MONTHLY,
    NIL,
    OVERDUE,
    SENT,
    SIX_TERMS,
    TERMLY,
    criterion_met_on,
    period_compliance,
    return_period_for,
    without_delay_due,
)
from schools.calendar import SchoolCalendar

# Kent 2025/26 with half-terms; autumn 2026 begins 2 Sep. Bank holidays come from England's
# calendar (4 May and 25 May 2026; Good Friday and Easter Monday fall in the holiday).
TERMS = [
    (date(2025, 9, 3), date(2025, 12, 19)),
    (date(2026, 1, 5), date(2026, 3, 27)),
    (date(2026, 4, 13), date(2026, 7, 22)),
    (date(2026, 9, 2), date(2026, 12, 18)),
]
HALF_TERMS = [
    (date(2025, 10, 27), date(2025, 10, 31)),
    (date(2026, 2, 16), date(2026, 2, 20)),
    (date(2026, 5, 25), date(2026, 5, 29)),
]
INSET = [(date(2026, 1, 5), date(2026, 1, 5))]
KENT = SchoolCalendar.from_terms(TERMS, HALF_TERMS)
WITH_INSET = SchoolCalendar.from_terms(TERMS, HALF_TERMS + INSET)
NO_NEXT_YEAR = SchoolCalendar.from_terms(TERMS[:3], HALF_TERMS)


@pytest.mark.parametrize(
    ("calendar", "day", "cycle", "n", "expected"),
    [
        # Termly: due on the 10th school day after the next term's first day (KSAH §24).
        pytest.param(KENT, date(2025, 10, 1), TERMLY, 10,
                     (date(2025, 9, 3), date(2025, 12, 19), date(2026, 1, 19)), id="autumn"),
        pytest.param(KENT, date(2025, 10, 29), TERMLY, 10,
                     (date(2025, 9, 3), date(2025, 12, 19), date(2026, 1, 19)),
                     id="half-term-belongs-to-its-term"),
        pytest.param(KENT, date(2025, 12, 24), TERMLY, 10,
                     (date(2025, 9, 3), date(2025, 12, 19), date(2026, 1, 19)),
                     id="christmas-holiday-belongs-to-the-term-before"),
        pytest.param(WITH_INSET, date(2025, 10, 1), TERMLY, 10,
                     (date(2025, 9, 3), date(2025, 12, 19), date(2026, 1, 20)),
                     id="inset-day-starts-the-term-a-day-later"),
        pytest.param(KENT, date(2026, 2, 10), TERMLY, 10,
                     (date(2026, 1, 5), date(2026, 3, 27), date(2026, 4, 27)),
                     id="spring-over-the-easter-holiday"),
        pytest.param(KENT, date(2026, 2, 10), TERMLY, 15,
                     (date(2026, 1, 5), date(2026, 3, 27), date(2026, 5, 5)),
                     id="bank-holiday-4-may-skipped"),
        pytest.param(KENT, date(2026, 6, 10), TERMLY, 10,
                     (date(2026, 4, 13), date(2026, 7, 22), date(2026, 9, 16)),
                     id="summer-due-in-the-next-school-year"),
        pytest.param(NO_NEXT_YEAR, date(2026, 6, 10), TERMLY, 10,
                     (date(2026, 4, 13), date(2026, 7, 22), None),
                     id="next-terms-dates-not-loaded"),
        # Six terms (Kent's Term 1..6 = half-terms): due 10 school days into the next one.
        pytest.param(KENT, date(2025, 10, 1), SIX_TERMS, 10,
                     (date(2025, 9, 3), date(2025, 10, 24), date(2025, 11, 17)),
                     id="six-terms-term-1"),
        pytest.param(KENT, date(2025, 10, 29), SIX_TERMS, 10,
                     (date(2025, 9, 3), date(2025, 10, 24), date(2025, 11, 17)),
                     id="six-terms-half-term-week-belongs-to-term-1"),
        pytest.param(WITH_INSET, date(2025, 11, 20), SIX_TERMS, 10,
                     (date(2025, 11, 3), date(2025, 12, 19), date(2026, 1, 20)),
                     id="six-terms-term-2-inset"),
        pytest.param(KENT, date(2026, 4, 20), SIX_TERMS, 10,
                     (date(2026, 4, 13), date(2026, 5, 22), date(2026, 6, 15)),
                     id="six-terms-term-5-bank-holidays"),
        # Monthly (the DfE minimum): the nth school day after the month's last day.
        pytest.param(KENT, date(2025, 10, 15), MONTHLY, 10,
                     (date(2025, 10, 1), date(2025, 10, 31), date(2025, 11, 14)),
                     id="monthly-after-half-term"),
        pytest.param(KENT, date(2025, 12, 10), MONTHLY, 10,
                     (date(2025, 12, 1), date(2025, 12, 31), date(2026, 1, 16)),
                     id="monthly-over-christmas"),
        pytest.param(WITH_INSET, date(2025, 12, 10), MONTHLY, 10,
                     (date(2025, 12, 1), date(2025, 12, 31), date(2026, 1, 19)),
                     id="monthly-inset-not-counted"),
        pytest.param(KENT, date(2026, 4, 20), MONTHLY, 10,
                     (date(2026, 4, 1), date(2026, 4, 30), date(2026, 5, 15)),
                     id="monthly-bank-holiday-4-may"),
    ],
)  # fmt: skip
def test_return_period_and_due_date(calendar, day, cycle, n, expected):  # type: ignore[no-untyped-def]
    span = return_period_for(calendar, day, cycle=cycle, due_school_days=n)
    assert span is not None
    assert (span.starts, span.ends, span.due_on) == expected


def test_no_period_before_the_first_term():  # type: ignore[no-untyped-def]
    assert return_period_for(KENT, date(2025, 8, 1)) is None


@pytest.mark.parametrize(
    ("calendar", "met", "expected"),
    [
        pytest.param(KENT, date(2025, 10, 8), date(2025, 10, 9), id="next-school-day"),
        pytest.param(KENT, date(2025, 10, 24), date(2025, 11, 3), id="over-half-term"),
        pytest.param(KENT, date(2025, 12, 19), date(2026, 1, 5), id="over-christmas"),
        pytest.param(WITH_INSET, date(2025, 12, 19), date(2026, 1, 6), id="over-an-inset-day"),
        pytest.param(KENT, date(2026, 5, 1), date(2026, 5, 5), id="over-a-bank-holiday"),
    ],
)
def test_consecutive_sickness_return_is_due_without_delay(calendar, met, expected):  # type: ignore[no-untyped-def]
    # reg 13; KSAH §24: "without delay", read as the next school day (docs/returns.md).
    assert without_delay_due(calendar, met) == expected


@pytest.mark.parametrize(
    ("first", "days", "expected"),
    [
        pytest.param(date(2025, 9, 8), 10, date(2025, 9, 19), id="two-weeks"),
        pytest.param(date(2025, 10, 20), 10, date(2025, 11, 7), id="across-half-term"),
        pytest.param(date(2025, 12, 8), 15, date(2026, 1, 9), id="sickness-over-christmas"),
        pytest.param(date(2025, 10, 25), 10, date(2025, 11, 14), id="starts-on-a-saturday"),
    ],
)
def test_day_a_run_meets_its_criterion(first, days, expected):  # type: ignore[no-untyped-def]
    # DOMAIN §8: runs cross half-terms and holidays, counted on the school's calendar.
    assert criterion_met_on(KENT, first, days) == expected


TODAY = date(2026, 1, 20)


@pytest.mark.parametrize(
    ("open_due", "returned", "expected"),
    [
        pytest.param([], [], NIL, id="nobody-to-return"),
        pytest.param([date(2026, 1, 19)], [], OVERDUE, id="past-its-due-date"),
        pytest.param([date(2026, 1, 20)], [], DUE, id="due-today"),
        pytest.param([None], [], DUE, id="due-date-unknown"),
        pytest.param([], [(date(2026, 1, 19), date(2026, 1, 19))], SENT, id="sent-on-the-day"),
        pytest.param([], [(date(2026, 1, 20), date(2026, 1, 19))], LATE, id="sent-late"),
        pytest.param(
            [date(2026, 1, 10)], [(date(2026, 1, 5), date(2026, 1, 19))], OVERDUE,
            id="one-returned-one-overdue",
        ),
    ],
)  # fmt: skip
def test_period_compliance(open_due, returned, expected):  # type: ignore[no-untyped-def]
    assert period_compliance(open_due=open_due, returned=returned, today=TODAY) == expected
