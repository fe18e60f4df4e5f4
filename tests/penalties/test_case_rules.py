"""What each penalty-notice case counts (DOMAIN §5 "Precise counting"; EA96 s.8 and EIA06
s.103 for compulsory school age), the policy target compared exactly, and escalation per
parent (DOMAIN §5 "Escalation window")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from penalties.rules import (
    Escalation,
    escalation_for,
    leave_case_sessions,
    other_intervention,
    public_place_case,
    unauthorised_case_sessions,
)
from schools.calendar import SchoolCalendar
from schools.rules import SessionMark, below_attendance_target

CALENDAR = SchoolCalendar.from_terms(
    [(date(2025, 9, 3), date(2025, 10, 24)), (date(2025, 11, 3), date(2025, 12, 19))]
)
OLDER = date(2016, 1, 10)  # of compulsory school age all year
TURNS_FIVE_IN_OCTOBER = date(2020, 10, 15)  # compulsory school age from 31 December 2025


def week(monday: date, codes: str) -> list[SessionMark]:
    days = CALENDAR.school_days_between(monday, date(2025, 12, 19))
    return [
        SessionMark(days[i // 2], "AM" if i % 2 == 0 else "PM", code)
        for i, code in enumerate(codes)
    ]


@pytest.mark.parametrize(
    ("codes", "leave_from", "leave_to", "dob", "count"),
    [
        pytest.param("G" * 10, date(2025, 11, 17), date(2025, 11, 21), OLDER, 10, id="week-of-g"),
        pytest.param("G" * 10, date(2025, 11, 17), date(2025, 11, 19), OLDER, 6, id="dates-cut"),
        pytest.param("GGOOUUGGGG", date(2025, 11, 17), date(2025, 11, 21), OLDER, 6, id="g-only"),
        pytest.param(
            "G" * 10, date(2025, 11, 17), date(2025, 11, 21), TURNS_FIVE_IN_OCTOBER, 0, id="under-5"
        ),
    ],
)
def test_leave_case_counts_g_within_the_leave_dates_while_of_age(  # type: ignore[no-untyped-def]
    codes, leave_from, leave_to, dob, count
):
    marks = week(date(2025, 11, 17), codes)
    found = leave_case_sessions(marks, dob=dob, leave_from=leave_from, leave_to=leave_to)
    assert found == count


@pytest.mark.parametrize(
    ("codes", "dob", "count"),
    [
        pytest.param("GNOU" * 2 + "GG", OLDER, 10, id="the-mix-counts"),
        pytest.param("GNOU" * 2 + "GG", TURNS_FIVE_IN_OCTOBER, 0, id="not-of-age"),
        pytest.param("GG//IIUU", OLDER, 4, id="other-codes-do-not-count"),
    ],
)
def test_unauthorised_case_counts_threshold_sessions_while_of_age(codes, dob, count):  # type: ignore[no-untyped-def]
    assert unauthorised_case_sessions(week(date(2025, 11, 17), codes), dob=dob) == count


@pytest.mark.parametrize(
    ("dob", "seen", "codes", "met"),
    [
        pytest.param(OLDER, date(2025, 11, 14), ("E", "E"), True, id="day-5-excluded"),
        pytest.param(OLDER, date(2025, 11, 17), ("E", "E"), False, id="day-6"),
        pytest.param(OLDER, date(2025, 11, 12), ("/", "\\"), False, id="not-coded-e"),
        pytest.param(TURNS_FIVE_IN_OCTOBER, date(2025, 11, 12), ("E", "E"), False, id="under-5"),
    ],
)
def test_public_place_case(dob, seen, codes, met):  # type: ignore[no-untyped-def]
    case = public_place_case(
        CALENDAR, dob=dob, exclusion_start=date(2025, 11, 10), seen=seen, codes_on_seen=codes
    )
    assert case.met is met


@pytest.mark.parametrize(
    ("attended", "possible", "target", "below"),
    [
        pytest.param(22499, 25000, Decimal("90"), True, id="89.996-is-below-90"),
        pytest.param(275, 300, Decimal("91.67"), True, id="91.666-is-below-91.67"),
        pytest.param(9, 10, Decimal("90"), False, id="equal-is-not-below"),
        pytest.param(0, 0, Decimal("90"), False, id="no-possible-sessions"),
    ],
)
def test_policy_target_is_compared_exactly(attended, possible, target, below):  # type: ignore[no-untyped-def]
    # The one comparison lives in schools.rules; the pathway's condition uses it.
    assert below_attendance_target(attendance=attended, possible=possible, target=target) is below


@pytest.mark.parametrize(
    ("previous", "level"),
    [
        pytest.param(0, Escalation.FIRST, id="none-first-tariff"),
        pytest.param(1, Escalation.SECOND, id="one-160-flat"),
        pytest.param(2, Escalation.NO_NOTICE, id="two-no-notice"),
        pytest.param(3, Escalation.NO_NOTICE, id="more-no-notice"),
    ],
)
def test_escalation_is_per_parent(previous, level):  # type: ignore[no-untyped-def]
    assert escalation_for(previous) == level


def test_a_third_leave_case_goes_to_the_single_justice_procedure():  # type: ignore[no-untyped-def]
    # KSAH §15 iv
    assert other_intervention("leave") == "Single Justice Procedure"
    assert other_intervention("unauthorised") == "other legal intervention"
