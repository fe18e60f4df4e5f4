"""The TSM scheduling rule (DOMAIN §12; KSAH §15 ii; WTISA paras 95-96), table-driven."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from kpas.tsm.rules import (
    Basis,
    Frequency,
    HeldOrPlanned,
    MeetingNeed,
    place_meetings,
    replan,
    tsm_frequency,
    windows_for,
)
from schools.calendar import SchoolCalendar


@pytest.mark.parametrize(
    ("attended", "possible", "national", "no_national", "asked", "expected"),
    [
        # KSAH §15 ii: below the national average for the phase -> termly.
        pytest.param(930, 1000, "94.0", "yearly", False, ("termly", "below_national"), id="below"),
        pytest.param(
            950, 1000, "94.0", "yearly", False, ("yearly", "not_below_national"), id="above"
        ),
        # DOMAIN §12: equal counts as not below (exactly: 94.0% of sessions).
        pytest.param(
            940, 1000, "94.0", "termly", False, ("yearly", "not_below_national"), id="equal"
        ),
        # a hair below the published figure is below, though it rounds to it.
        pytest.param(
            9399, 10000, "94.0", "yearly", False, ("termly", "below_national"), id="just-below"
        ),
        # PRUs: no national figure; the LA's setting decides.
        pytest.param(
            700, 1000, None, "termly", False, ("termly", "no_national_figure"), id="pru-termly"
        ),
        pytest.param(
            700, 1000, None, "yearly", False, ("yearly", "no_national_figure"), id="pru-yearly"
        ),
        # WTISA 95-96: a school that asks for termly meetings has them.
        pytest.param(990, 1000, "94.0", "yearly", True, ("termly", "school_asked"), id="asked"),
        # No figures at all: nothing shows the school below.
        pytest.param(0, 0, "94.0", "termly", False, ("yearly", "no_figures"), id="no-figures"),
    ],
)
def test_frequency(attended, possible, national, no_national, asked, expected) -> None:  # type: ignore[no-untyped-def]
    frequency, basis = tsm_frequency(
        attended=attended,
        possible=possible,
        national_percent=None if national is None else Decimal(national),
        no_national_frequency=Frequency(no_national),
        school_asked_termly=asked,
    )
    assert (frequency, basis) == (Frequency(expected[0]), Basis(expected[1]))


# A small year: three terms of two weeks each, with a closure and a bank holiday inside.
TERMS = [
    (date(2025, 9, 1), date(2025, 9, 12)),
    (date(2026, 1, 5), date(2026, 1, 16)),
    (date(2026, 4, 20), date(2026, 5, 1)),
]
CLOSURE = date(2025, 9, 3)
CALENDAR = SchoolCalendar.from_terms(TERMS, closures=[(CLOSURE, CLOSURE)])


def _need(school_id: int, officer_id: int, window: tuple[date, date], seq: int = 1) -> MeetingNeed:
    return MeetingNeed(school_id, officer_id, seq, window, CALENDAR.school_days)


def test_windows_termly_and_yearly() -> None:
    assert windows_for(Frequency.TERMLY, TERMS) == TERMS
    assert windows_for(Frequency.YEARLY, TERMS) == [(TERMS[0][0], TERMS[-1][1])]


@pytest.mark.parametrize(
    ("schools", "limit", "booked", "expect_days_distinct", "expect_unplaced"),
    [
        pytest.param(3, 1, {}, True, 0, id="limit-1-spreads-to-separate-days"),
        pytest.param(9, 1, {}, True, 0, id="nine-schools-fill-nine-days"),
        # the first term has 9 school days (10 weekdays less the closure): a 10th cannot fit.
        pytest.param(10, 1, {}, True, 1, id="more-schools-than-room"),
        pytest.param(4, 2, {}, True, 0, id="limit-2-still-spread-first"),
    ],
)
def test_place_within_officer_limit(
    schools, limit, booked, expect_days_distinct, expect_unplaced
) -> None:  # type: ignore[no-untyped-def]
    needs = [_need(s, 7, TERMS[0]) for s in range(schools)]
    placed = place_meetings(needs, daily_limit=limit, booked=booked, not_before=date(2025, 8, 1))
    days = [p.day for p in placed if p.day is not None]
    assert len(placed) - len(days) == expect_unplaced
    assert len(set(days)) == len(days) if expect_days_distinct else True
    for day in days:
        assert CALENDAR.is_school_day(day)  # never a weekend, holiday or closure
        assert day != CLOSURE
        assert TERMS[0][0] <= day <= TERMS[0][1]


def test_placement_avoids_holidays_and_closures_and_bank_holidays() -> None:
    # A window spanning the Christmas holiday: only term days can be chosen.
    # The window holds 19 school days (9 in term 1 less the closure, 10 in term 2).
    needs = [_need(s, 1, (date(2025, 9, 1), date(2026, 1, 16))) for s in range(20)]
    placed = place_meetings(needs, daily_limit=1, not_before=date(2025, 8, 1))
    assert sum(p.day is None for p in placed) == 1
    placed = [p for p in placed if p.day is not None]
    assert all(p.day is not None and CALENDAR.is_school_day(p.day) for p in placed)
    assert not any(p.day == date(2026, 1, 1) or p.day == CLOSURE for p in placed)


def test_placement_counts_meetings_already_booked() -> None:
    days = CALENDAR.school_days_between(*TERMS[0])
    booked = {(5, d): 1 for d in days[:-1]}  # every day but the last is full
    placed = place_meetings(
        [_need(1, 5, TERMS[0])], daily_limit=1, booked=booked, not_before=TERMS[0][0]
    )
    assert placed[0].day == days[-1]


def test_officers_are_limited_separately() -> None:
    needs = [_need(1, 1, TERMS[0]), _need(2, 2, TERMS[0])]
    one_day = (date(2025, 9, 1), date(2025, 9, 1))
    needs = [_need(1, 1, one_day), _need(2, 2, one_day)]
    placed = place_meetings(needs, daily_limit=1, not_before=date(2025, 8, 1))
    assert [p.day for p in placed] == [date(2025, 9, 1), date(2025, 9, 1)]


def test_not_before_is_respected() -> None:
    placed = place_meetings([_need(1, 1, TERMS[0])], daily_limit=1, not_before=date(2025, 9, 11))
    assert placed[0].day is not None and placed[0].day >= date(2025, 9, 11)


def _m(seq: int, day: date, *, held: bool = False, agreed: bool = False) -> HeldOrPlanned:
    return HeldOrPlanned(seq, day, held, agreed)


@pytest.mark.parametrize(
    ("frequency", "meetings", "today", "cancel", "add"),
    [
        # Fell below the national average after the yearly meeting was held in term 1:
        # meetings in the terms to come.
        pytest.param(
            "termly",
            [_m(1, date(2025, 9, 5), held=True)],
            date(2025, 12, 1),
            (),
            (TERMS[1], TERMS[2]),
            id="to-termly-after-held",
        ),
        # ... with the yearly meeting still to come in term 3: terms 2 only is added.
        pytest.param(
            "termly",
            [_m(1, date(2026, 4, 22))],
            date(2025, 12, 1),
            (),
            (TERMS[1],),
            id="to-termly-yearly-meeting-ahead",
        ),
        # today inside term 2: the window starts today.
        pytest.param(
            "termly",
            [_m(1, date(2025, 9, 5), held=True)],
            date(2026, 1, 8),
            (),
            ((date(2026, 1, 8), TERMS[1][1]), TERMS[2]),
            id="to-termly-mid-term",
        ),
        # Rose above: one held, the proposed ones to come are no longer needed.
        pytest.param(
            "yearly",
            [_m(1, date(2025, 9, 5), held=True), _m(2, date(2026, 1, 7)), _m(3, date(2026, 4, 22))],
            date(2025, 12, 1),
            (2, 3),
            (),
            id="to-yearly-after-held",
        ),
        # Rose above before any meeting: the next one stays as the year's meeting.
        pytest.param(
            "yearly",
            [_m(1, date(2025, 9, 10)), _m(2, date(2026, 1, 7)), _m(3, date(2026, 4, 22))],
            date(2025, 9, 8),
            (2, 3),
            (),
            id="to-yearly-none-held",
        ),
        # An agreed date stays: both sides chose it.
        pytest.param(
            "yearly",
            [_m(1, date(2025, 9, 5), held=True), _m(2, date(2026, 1, 7), agreed=True)],
            date(2025, 12, 1),
            (),
            (),
            id="to-yearly-agreed-kept",
        ),
    ],
)
def test_replan(frequency, meetings, today, cancel, add) -> None:  # type: ignore[no-untyped-def]
    change = replan(frequency=Frequency(frequency), meetings=meetings, terms=TERMS, today=today)
    assert change.cancel == cancel
    assert change.add == add


def test_placement_is_deterministic() -> None:
    needs = [_need(s, 1, TERMS[1]) for s in range(5)]
    first = place_meetings(needs, daily_limit=1, not_before=date(2025, 8, 1))
    assert first == place_meetings(needs, daily_limit=1, not_before=date(2025, 8, 1))
    assert max(p.day for p in first) - min(p.day for p in first) >= timedelta(days=4)  # type: ignore[operator]
