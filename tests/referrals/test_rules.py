"""The Digital Front Door's pure rules: the state machine, references and date arithmetic."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from referrals.rules import (
    IllegalTransition,
    Status,
    allowed_targets,
    cme_referral_due,
    continuous_absence_to,
    deemed_received,
    leave_ground_met_on,
    notice_to_improve_period,
    reference_format,
    transition_action,
    within_first_school_days,
)
from schools.calendar import SchoolCalendar, england_bank_holidays
from schools.rules import SessionMark

# Autumn 2025 with a half term 27-31 October; weekdays only.
CALENDAR = SchoolCalendar.from_terms(
    [(date(2025, 9, 3), date(2025, 10, 24)), (date(2025, 11, 3), date(2025, 12, 19))]
)
BANK_HOLIDAYS = england_bank_holidays([2025, 2026])


@pytest.mark.parametrize(
    ("current", "target", "action"),
    [
        pytest.param(Status.DRAFT, Status.SUBMITTED, "submit", id="draft-is-sent"),
        pytest.param(Status.SUBMITTED, Status.TRIAGED, "triage", id="sent-is-accepted"),
        pytest.param(Status.SUBMITTED, Status.CLOSED, "close", id="sent-is-closed"),
        pytest.param(Status.TRIAGED, Status.CLOSED, "close", id="accepted-is-closed"),
        pytest.param(Status.CLOSED, Status.TRIAGED, "reopen", id="closed-is-reopened"),
    ],
)
def test_legal_transitions(current, target, action):  # type: ignore[no-untyped-def]
    assert transition_action(current, target) == action


@pytest.mark.parametrize(
    ("current", "target"),
    [
        pytest.param(Status.SUBMITTED, Status.DRAFT, id="sent-never-back-to-draft"),
        pytest.param(Status.DRAFT, Status.CLOSED, id="draft-not-closed"),
        pytest.param(Status.CLOSED, Status.SUBMITTED, id="closed-not-resent"),
        pytest.param(Status.TRIAGED, Status.TRIAGED, id="no-move-to-itself"),
    ],
)
def test_illegal_transitions_are_errors(current, target):  # type: ignore[no-untyped-def]
    with pytest.raises(IllegalTransition):
        transition_action(current, target)


def test_allowed_targets():  # type: ignore[no-untyped-def]
    assert allowed_targets(Status.SUBMITTED) == [Status.TRIAGED, Status.CLOSED]
    assert allowed_targets(Status.CLOSED) == [Status.TRIAGED]


@pytest.mark.parametrize(
    ("year", "number", "reference"),
    [
        (2026, 123, "DFD-2026-000123"),
        (2026, 1, "DFD-2026-000001"),
        (2027, 1234567, "DFD-2027-1234567"),
    ],
)
def test_reference_format(year, number, reference):  # type: ignore[no-untyped-def]
    assert reference_format(year, number) == reference


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


def test_cme_due_and_1h_dates_count_school_days():  # type: ignore[no-untyped-def]
    # 21-24 October, half term, then 3-7 and 10 November.
    assert cme_referral_due(CALENDAR, date(2025, 10, 20)) == date(2025, 11, 10)
    assert leave_ground_met_on(CALENDAR, date(2025, 12, 12)) is None  # past the term dates


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


@given(st.dates(min_value=date(2025, 9, 3), max_value=date(2025, 11, 20)))
def test_cme_due_is_ten_school_days_later(last):  # type: ignore[no-untyped-def]
    due = cme_referral_due(CALENDAR, last)
    assert due is not None and due > last
    assert CALENDAR.count_school_days(last + timedelta(days=1), due) == 10
