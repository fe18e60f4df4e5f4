"""The one calendar (DOMAIN §5 school weeks, §13 school days and census terms; STYLE habit 3)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schools.calendar import (
    CalendarRangeError,
    CensusTerm,
    SchoolCalendar,
    academic_year_bounds,
    academic_year_label,
    academic_year_of,
    add_working_days,
    anniversary,
    census_term_of,
    england_bank_holidays,
    school_days_from_terms,
    week_monday,
)

# Kent-style term dates (six terms) for 2024/25 and 2025/26, with two INSET days.
TERMS = [
    (date(2024, 9, 3), date(2024, 10, 25)),
    (date(2024, 11, 4), date(2024, 12, 20)),
    (date(2025, 1, 6), date(2025, 2, 14)),
    (date(2025, 2, 24), date(2025, 4, 4)),
    (date(2025, 4, 22), date(2025, 5, 23)),
    (date(2025, 6, 2), date(2025, 7, 22)),
    (date(2025, 9, 3), date(2025, 10, 24)),
    (date(2025, 11, 3), date(2025, 12, 19)),
    (date(2026, 1, 5), date(2026, 2, 13)),
    (date(2026, 2, 23), date(2026, 3, 27)),
    (date(2026, 4, 13), date(2026, 5, 22)),
    (date(2026, 6, 1), date(2026, 7, 21)),
]
INSET = [(date(2025, 9, 3), date(2025, 9, 3)), (date(2026, 1, 5), date(2026, 1, 5))]
BANK_HOLIDAYS = england_bank_holidays(range(2024, 2027))
KENT = SchoolCalendar(school_days_from_terms(TERMS, INSET, BANK_HOLIDAYS))


@pytest.mark.parametrize(
    ("day", "is_bank_holiday"),
    [
        (date(2025, 4, 18), True),  # Good Friday
        (date(2025, 4, 21), True),  # Easter Monday
        (date(2025, 5, 5), True),  # early May
        (date(2025, 8, 25), True),  # summer (England, last Monday of August)
        (date(2025, 8, 4), False),  # Scotland's summer holiday, not England's
        (date(2025, 3, 17), False),  # St Patrick's Day: Northern Ireland only
        (date(2025, 12, 26), True),
        (date(2026, 5, 4), True),
    ],
    ids=lambda v: v.isoformat() if isinstance(v, date) else str(v),
)
def test_england_bank_holidays(day, is_bank_holiday):
    # DOMAIN §13: England bank holidays
    assert (day in BANK_HOLIDAYS) is is_bank_holiday


@pytest.mark.parametrize(
    "day",
    [date(2022, 9, 19), date(2023, 5, 8), date(2022, 6, 3), date(2023, 1, 2)],
    ids=["state-funeral", "coronation", "jubilee", "new-year-substitute"],
)
def test_special_and_substitute_bank_holidays(day):
    # DOMAIN §13: one-off bank holidays and substitute days close schools too
    assert day in england_bank_holidays([day.year])


@pytest.mark.parametrize(
    ("day", "school_day"),
    [
        (date(2024, 9, 3), True),  # first day of term
        (date(2024, 9, 2), False),  # before term
        (date(2024, 9, 7), False),  # Saturday
        (date(2024, 10, 28), False),  # half-term
        (date(2025, 5, 5), False),  # bank holiday in term 5
        (date(2025, 9, 3), False),  # INSET
        (date(2025, 9, 4), True),
        (date(2026, 5, 4), False),  # bank holiday in term 5
        (date(2026, 7, 21), True),  # last day of term
    ],
    ids=lambda v: v.isoformat() if isinstance(v, date) else str(v),
)
def test_school_days_from_terms(day, school_day):
    # DOMAIN §13: term weekdays less bank holidays, INSET and closures
    assert KENT.is_school_day(day) is school_day


def test_from_terms_defaults_to_england_bank_holidays():
    assert SchoolCalendar.from_terms(TERMS, INSET) == KENT
    assert hash(SchoolCalendar.from_terms(TERMS, INSET)) == hash(KENT)


def test_excluding_removes_unexpected_closures():
    # DOMAIN §13: a whole-school Y4 day is not a school day
    snow = KENT.excluding([date(2025, 1, 8)])
    assert not snow.is_school_day(date(2025, 1, 8))
    assert snow.count_school_days(date(2025, 1, 6), date(2025, 1, 10)) == 4


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 10, 17), 1, date(2025, 10, 20)),  # Friday -> Monday
        (date(2025, 10, 24), 1, date(2025, 11, 3)),  # over half-term
        (date(2025, 10, 25), 1, date(2025, 11, 3)),  # from a non-school day
        (date(2025, 4, 30), 5, date(2025, 5, 8)),  # over the early May bank holiday
        (date(2025, 7, 22), 1, date(2025, 9, 4)),  # over the summer and the INSET day
        (date(2025, 10, 20), 0, date(2025, 10, 20)),
        (date(2025, 10, 20), -1, date(2025, 10, 17)),
        (date(2025, 11, 3), -1, date(2025, 10, 24)),
    ],
    ids=["weekend", "half-term", "from-holiday", "bank-holiday", "summer-inset", "zero",
         "back-weekend", "back-half-term"],
)  # fmt: skip
def test_add_school_days(start, n, expected):
    # DOMAIN §13: school days are counted on the school's calendar
    assert KENT.add_school_days(start, n) == expected


def test_add_school_days_beyond_calendar():
    with pytest.raises(CalendarRangeError):
        KENT.add_school_days(date(2026, 7, 20), 5)
    with pytest.raises(ValueError):
        KENT.nth_school_day_after(date(2026, 7, 20), 0)


def test_school_days_between_and_last_school_days():
    days = KENT.school_days_between(date(2025, 10, 23), date(2025, 11, 4))
    assert days == [date(2025, 10, 23), date(2025, 10, 24), date(2025, 11, 3), date(2025, 11, 4)]
    assert KENT.last_school_days(date(2025, 11, 2), 2) == [date(2025, 10, 23), date(2025, 10, 24)]


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        # Week of 17 Nov 2025 is week 1; the half-term week (27 Oct) is skipped.
        (date(2025, 11, 19), 10, date(2025, 9, 8)),
        # Spanning the summer into the previous school year.
        (date(2025, 9, 15), 10, date(2025, 6, 9)),
        (date(2025, 9, 15), 1, date(2025, 9, 15)),
        # From inside the half-term week: week 1 is the last school week before it.
        (date(2025, 10, 29), 1, date(2025, 10, 20)),
        (date(2025, 11, 2), 2, date(2025, 10, 13)),
        # Easter holidays (2 weeks) skipped.
        (date(2025, 4, 24), 3, date(2025, 3, 24)),
        # Before the calendar begins: the earliest school week starts the window.
        (date(2024, 9, 20), 10, date(2024, 9, 2)),
    ],
    ids=["half-term", "summer", "week-1", "in-holiday", "in-holiday-2", "easter", "calendar-start"],
)
def test_window_start_for_school_weeks(day, n, expected):
    # DOMAIN §5: a school week is a Mon-Sun week with at least one school day; holiday weeks
    # do not count; the window can span terms and school years.
    assert KENT.window_start_for_school_weeks(day, n) == expected


def test_inset_only_week_is_not_a_school_week():
    # DOMAIN §5: INSET days are not sessions, so a week of INSET is not a school week.
    inset_week = SchoolCalendar.from_terms(
        TERMS, [*INSET, (date(2025, 11, 10), date(2025, 11, 14))]
    )
    assert not inset_week.is_school_week(date(2025, 11, 10))
    assert KENT.is_school_week(date(2025, 11, 10))
    assert inset_week.window_start_for_school_weeks(date(2025, 11, 19), 10) == date(2025, 9, 1)


@pytest.mark.parametrize(
    ("day", "year", "label"),
    [
        (date(2025, 7, 31), 2024, "2024/25"),
        (date(2025, 8, 1), 2025, "2025/26"),
        (date(2026, 1, 1), 2025, "2025/26"),
        (date(1999, 12, 31), 1999, "1999/00"),
    ],
    ids=["31-jul", "1-aug", "new-year", "century"],
)
def test_academic_year(day, year, label):
    # DOMAIN §13: a school year runs 1 August - 31 July
    assert academic_year_of(day) == year
    assert academic_year_label(year) == label
    start, end = academic_year_bounds(year)
    assert start == date(year, 8, 1)
    assert end == date(year + 1, 7, 31)
    assert start <= day <= end


@pytest.mark.parametrize(
    ("posted", "expected"),
    [
        (date(2025, 10, 13), date(2025, 10, 15)),  # Monday -> Wednesday
        (date(2025, 10, 17), date(2025, 10, 21)),  # Friday -> Tuesday
        (date(2025, 4, 17), date(2025, 4, 23)),  # over Good Friday and Easter Monday
        (date(2025, 12, 23), date(2025, 12, 29)),  # over Christmas and Boxing Day
        (date(2025, 10, 18), date(2025, 10, 21)),  # posted on a Saturday
    ],
    ids=["monday", "friday", "easter", "christmas", "saturday"],
)
def test_deemed_receipt_second_working_day(posted, expected):
    # DOMAIN §5: receipt by first-class post is deemed the 2nd working day after posting
    assert add_working_days(posted, 2, BANK_HOLIDAYS) == expected


@pytest.mark.parametrize(
    ("day", "term"),
    [
        (date(2025, 8, 1), CensusTerm.AUTUMN),
        (date(2025, 12, 31), CensusTerm.AUTUMN),
        (date(2026, 1, 1), CensusTerm.SPRING),
        (date(2026, 4, 5), CensusTerm.SPRING),  # Easter Sunday 2026
        (date(2026, 4, 6), CensusTerm.SUMMER),  # Easter Monday 2026
        (date(2025, 4, 20), CensusTerm.SPRING),  # Easter Sunday 2025
        (date(2025, 4, 21), CensusTerm.SUMMER),
        (date(2026, 7, 31), CensusTerm.SUMMER),
    ],
    ids=lambda v: v.isoformat() if isinstance(v, date) else str(v),
)
def test_census_term_of(day, term):
    # DOMAIN §13: autumn 1 Aug-31 Dec, spring 1 Jan-Easter Sunday, summer from Easter Monday
    assert census_term_of(day) is term


@pytest.mark.parametrize(
    ("born", "years", "expected"),
    [
        (date(2020, 2, 29), 5, date(2025, 3, 1)),
        (date(2020, 2, 29), 4, date(2024, 2, 29)),
        (date(2019, 8, 31), 5, date(2024, 8, 31)),
    ],
    ids=["leap-day-common-year", "leap-day-leap-year", "ordinary"],
)
def test_anniversary(born, years, expected):
    assert anniversary(born, years) == expected


# --- Hypothesis: calendar arithmetic on random calendars -------------------------------------
EPOCH = date(2024, 8, 1)
random_calendars = st.frozensets(
    st.integers(0, 400).map(lambda k: EPOCH + timedelta(days=k)), min_size=1, max_size=150
).map(SchoolCalendar)
any_day = st.integers(-30, 430).map(lambda k: EPOCH + timedelta(days=k))


@given(random_calendars, any_day, st.integers(1, 40))
def test_add_school_days_properties(calendar, day, n):
    try:
        results = [calendar.add_school_days(day, k) for k in range(1, n + 1)]
    except CalendarRangeError:
        assert calendar.count_school_days(day + timedelta(days=1), date.max) < n
        return
    assert all(calendar.is_school_day(d) for d in results)
    assert all(a < b for a, b in zip([day, *results], results, strict=False))
    # exactly n school days after day, up to and including the nth
    assert calendar.count_school_days(day + timedelta(days=1), results[-1]) == n
    assert len(calendar.school_days_between(day + timedelta(days=1), results[-1])) == n
    if calendar.is_school_day(day):
        assert calendar.add_school_days(results[-1], -n) == day


@given(random_calendars, any_day, any_day)
def test_school_days_between_matches_brute_force(calendar, a, b):
    start, end = min(a, b), max(a, b)
    brute = [start + timedelta(days=k) for k in range((end - start).days + 1)]
    expected = [d for d in brute if d in calendar.school_days]
    assert calendar.school_days_between(start, end) == expected
    assert calendar.count_school_days(start, end) == len(expected)


@given(random_calendars, any_day, st.integers(1, 12))
def test_window_start_counts_n_school_weeks(calendar, day, n):
    start = calendar.window_start_for_school_weeks(day, n)
    assert start.weekday() == 0
    assert start <= week_monday(day)
    weeks = calendar.school_week_mondays_between(start, day)
    available = len(calendar.school_week_mondays_between(date.min, day))
    assert len(weeks) == min(n, available)
    if weeks:
        assert weeks[0] == start


@given(any_day, st.integers(0, 20))
def test_add_working_days_properties(day, n):
    result = add_working_days(day, n, BANK_HOLIDAYS)
    between = [day + timedelta(days=k) for k in range(1, (result - day).days + 1)]
    working = [d for d in between if d.weekday() < 5 and d not in BANK_HOLIDAYS]
    assert len(working) == n
    assert n == 0 or working[-1] == result


# --- terms and half-terms (issue 9: returns deadlines and termly meetings) ----------------------
# The same year as three terms with half-term closures (as a school's own term dates come).
THREE_TERMS = SchoolCalendar(
    school_days_from_terms(
        [
            (date(2025, 9, 3), date(2025, 12, 19)),
            (date(2026, 1, 5), date(2026, 3, 27)),
            (date(2026, 4, 13), date(2026, 7, 21)),
        ],
        [
            *INSET,
            (date(2025, 10, 27), date(2025, 10, 31)),
            (date(2026, 2, 16), date(2026, 2, 20)),
            (date(2026, 5, 25), date(2026, 5, 29)),
            (date(2026, 6, 18), date(2026, 6, 19)),  # two INSET days: not a half-term
        ],
        BANK_HOLIDAYS,
    )
)
TERMS_2025 = [
    (date(2025, 9, 4), date(2025, 12, 19), ((date(2025, 9, 4), date(2025, 10, 24)),
                                            (date(2025, 11, 3), date(2025, 12, 19)))),
    (date(2026, 1, 6), date(2026, 3, 27), ((date(2026, 1, 6), date(2026, 2, 13)),
                                           (date(2026, 2, 23), date(2026, 3, 27)))),
    (date(2026, 4, 13), date(2026, 7, 21), ((date(2026, 4, 13), date(2026, 5, 22)),
                                            (date(2026, 6, 1), date(2026, 7, 21)))),
]  # fmt: skip


@pytest.mark.parametrize("calendar", [KENT, THREE_TERMS], ids=["six-half-terms", "three-terms"])
def test_terms_and_half_terms(calendar):
    # The first school day after an INSET day starts the term; the early May and the
    # spring bank holidays and a two-day INSET inside a half-term do not split it.
    terms = [(t.start, t.end, t.half_terms) for t in calendar.terms if t.start >= date(2025, 8, 1)]
    assert terms == TERMS_2025


@pytest.mark.parametrize(
    ("day", "next_start", "tenth_day"),
    [
        (date(2025, 7, 22), date(2025, 9, 4), date(2025, 9, 18)),  # over the summer
        (date(2025, 10, 27), date(2026, 1, 6), date(2026, 1, 20)),  # a half-term is no term
        (date(2025, 12, 19), date(2026, 1, 6), date(2026, 1, 20)),  # the last day of term
        (date(2026, 3, 1), date(2026, 4, 13), date(2026, 4, 27)),  # over Easter
        (date(2026, 4, 12), date(2026, 4, 13), date(2026, 4, 27)),
    ],
    ids=["summer", "half-term", "last-day", "easter", "day-before"],
)
def test_next_term_start_and_returns_deadline(day, next_start, tenth_day):
    # DOMAIN §8: a return is due within 10 school days of the start of the next term
    for calendar in (KENT, THREE_TERMS):
        assert calendar.next_term_start(day) == next_start
        assert calendar.school_days_after_next_term_start(day, 10) == tenth_day
        assert calendar.count_school_days(next_start + timedelta(days=1), tenth_day) == 10


def test_term_containing_and_beyond_the_calendar():
    assert KENT.term_containing(date(2025, 10, 29)).start == date(2025, 9, 4)  # half-term
    assert KENT.term_containing(date(2025, 8, 15)) is None  # the summer holiday
    with pytest.raises(CalendarRangeError):
        KENT.next_term_start(date(2026, 6, 1))


@given(random_calendars, any_day)
def test_next_term_start_is_the_first_term_start_after_the_day(calendar, day):
    terms = calendar.terms
    starts = [t.start for t in terms]
    assert sorted(starts) == starts
    # Every school day lies in exactly one term and one of its half-terms.
    for d in calendar.school_days_between(date.min, date.max):
        holding = [t for t in terms if t.start <= d <= t.end]
        assert len(holding) == 1
        assert sum(a <= d <= b for a, b in holding[0].half_terms) == 1
    later = [s for s in starts if s > day]
    if later:
        assert calendar.next_term_start(day) == later[0]
        assert calendar.is_school_day(later[0])
    else:
        with pytest.raises(CalendarRangeError):
            calendar.next_term_start(day)
