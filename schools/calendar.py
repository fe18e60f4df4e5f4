"""The one calendar: school days, school weeks, working days, school and census years.

STYLE habit 3: no other module counts days. School days come from a school's term dates
minus England bank holidays and the school's INSET and closure days (DOMAIN §13).
Everything here is pure: dates in, dates out; no clock.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from itertools import pairwise
from typing import Final

import holidays
from dateutil.easter import easter

ACADEMIC_YEAR_START_MONTH: Final = 8  # a school year runs 1 August - 31 July (DOMAIN §13)
DAYS_PER_WEEK: Final = 7
SATURDAY: Final = 5  # date.weekday() of the first weekend day
ONE_DAY: Final = timedelta(days=1)


class CalendarRangeError(ValueError):
    """The answer lies outside the school days the calendar knows about."""


def england_bank_holidays(years: Iterable[int]) -> frozenset[date]:
    """England (and Wales) bank holidays in the given calendar years (DOMAIN §13)."""
    return _bank_holidays(tuple(sorted(set(years))))


@lru_cache(maxsize=64)
def _bank_holidays(years: tuple[int, ...]) -> frozenset[date]:
    # Building the holidays table is slow (tens of ms); every evaluation asks for it.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=list(years)).keys())


def _days(start: date, end: date) -> Iterable[date]:
    """Every date from start to end inclusive."""
    for offset in range((end - start).days + 1):
        yield start + timedelta(days=offset)


def school_days_from_terms(
    terms: Iterable[tuple[date, date]],
    closures: Iterable[tuple[date, date]],
    bank_holidays: Iterable[date],
) -> frozenset[date]:
    """Weekdays inside the (inclusive) term ranges, less bank holidays and closure ranges."""
    closed = set(bank_holidays)
    for start, end in closures:
        closed.update(_days(start, end))
    return frozenset(
        d
        for start, end in terms
        for d in _days(start, end)
        if d.weekday() < SATURDAY and d not in closed
    )


def days_outside_terms(marked_days: Iterable[date], school_days: Iterable[date]) -> list[date]:
    """Days the school recorded a possible-session mark on that its term dates do not make
    school days, in order. They are school days all the same (DOMAIN §13: a day on which the
    school held a session for pupils; the register is the school's record, docs/readings.md);
    the school is shown them to correct its term dates or its register."""
    known = school_days if isinstance(school_days, (set, frozenset)) else set(school_days)
    return sorted(set(marked_days) - known)


def week_monday(d: date) -> date:
    """The Monday of the Monday-Sunday week containing d."""
    return d - timedelta(days=d.weekday())


@dataclass(frozen=True)
class SchoolCalendar:
    """The days one school met for pupils. Hashable, so it can key caches."""

    school_days: frozenset[date]
    _sorted: tuple[date, ...] = field(init=False, repr=False, compare=False, hash=False)
    _week_mondays: tuple[date, ...] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.school_days))
        object.__setattr__(self, "_sorted", ordered)
        object.__setattr__(self, "_week_mondays", tuple(sorted({week_monday(d) for d in ordered})))

    @classmethod
    def from_terms(
        cls,
        terms: Iterable[tuple[date, date]],
        closures: Iterable[tuple[date, date]] = (),
        bank_holidays: Iterable[date] | None = None,
    ) -> SchoolCalendar:
        """Build from term dates; bank holidays default to England's for the terms' years."""
        terms = list(terms)
        if bank_holidays is None:
            years = {y for start, end in terms for y in range(start.year, end.year + 1)}
            bank_holidays = england_bank_holidays(years)
        return cls(school_days_from_terms(terms, closures, bank_holidays))

    def excluding(self, days: Iterable[date]) -> SchoolCalendar:
        """This calendar without some days, e.g. whole-school Y4 closures (DOMAIN §13)."""
        return SchoolCalendar(self.school_days - frozenset(days))

    def including(self, days: Iterable[date]) -> SchoolCalendar:
        """This calendar with some days added, e.g. days the school recorded marks on."""
        extra = frozenset(days) - self.school_days
        return SchoolCalendar(self.school_days | extra) if extra else self

    # --- school days -------------------------------------------------------------------
    @property
    def first_day(self) -> date | None:
        return self._sorted[0] if self._sorted else None

    @property
    def last_day(self) -> date | None:
        return self._sorted[-1] if self._sorted else None

    def is_school_day(self, d: date) -> bool:
        return d in self.school_days

    def school_days_between(self, start: date, end: date) -> list[date]:
        """School days from start to end, both inclusive, in order."""
        return list(
            self._sorted[bisect_left(self._sorted, start) : bisect_right(self._sorted, end)]
        )

    def count_school_days(self, start: date, end: date) -> int:
        """How many school days from start to end inclusive."""
        return max(0, bisect_right(self._sorted, end) - bisect_left(self._sorted, start))

    def add_school_days(self, d: date, n: int) -> date:
        """The nth school day after d (d not counted); n < 0 counts back; n == 0 gives d."""
        if n == 0:
            return d
        # Forward: d itself is not counted; back: the first school day before d is -1.
        forward = n > 0
        index = (
            bisect_right(self._sorted, d) + n - 1 if forward else bisect_left(self._sorted, d) + n
        )
        if not 0 <= index < len(self._sorted):
            raise CalendarRangeError(f"the calendar does not reach {n} school days from {d}")
        return self._sorted[index]

    def nth_school_day_after(self, d: date, n: int) -> date:
        """The nth school day after d (n >= 1): day 1 is the first school day after d."""
        if n < 1:
            raise ValueError("n must be at least 1")
        return self.add_school_days(d, n)

    def last_school_days(self, on_or_before: date, n: int) -> list[date]:
        """The n most recent school days up to and including a date (fewer if none earlier)."""
        stop = bisect_right(self._sorted, on_or_before)
        return list(self._sorted[max(0, stop - n) : stop])

    def school_day_index(self, d: date) -> int:
        """How many school days fall strictly before d (a rank usable for differences)."""
        return bisect_left(self._sorted, d)

    # --- school weeks ------------------------------------------------------------------
    @staticmethod
    def school_week_monday(d: date) -> date:
        """The Monday of the Monday-Sunday week containing d (DOMAIN §5)."""
        return week_monday(d)

    def is_school_week(self, monday: date) -> bool:
        """A Monday-Sunday week with at least one school day (DOMAIN §5: holidays don't count)."""
        start = week_monday(monday)
        return self.count_school_days(start, start + timedelta(days=DAYS_PER_WEEK - 1)) > 0

    def window_start_for_school_weeks(self, d: date, n: int) -> date:
        """The Monday of the nth school week back from d; the week containing d is week 1.

        Holiday weeks are skipped, so the window can span half-terms, terms and school years.
        If d's own week is not a school week, week 1 is the latest school week before it.
        If the calendar holds fewer than n school weeks, the earliest one starts the window.
        """
        if n < 1:
            raise ValueError("n must be at least 1")
        latest = bisect_right(self._week_mondays, week_monday(d)) - 1
        if latest < 0:
            return week_monday(d)  # no school week on or before d: the window is empty
        return self._week_mondays[max(0, latest - (n - 1))]

    def school_week_mondays_between(self, start: date, end: date) -> list[date]:
        """Mondays of the school weeks overlapping start..end."""
        lo = bisect_left(self._week_mondays, week_monday(start))
        return list(self._week_mondays[lo : bisect_right(self._week_mondays, end)])

    # --- terms (returns deadlines, termly meetings) -----------------------------------
    @property
    def terms(self) -> tuple[Term, ...]:
        """The school's terms in order, read from its school days (see `terms_of`)."""
        return terms_of(self)

    def term_containing(self, d: date) -> Term | None:
        """The term whose first and last school days enclose d (holidays inside it included)."""
        return next((term for term in self.terms if term.start <= d <= term.end), None)

    def next_term_start(self, d: date) -> date:
        """The first school day of the first term that starts after d."""
        for term in self.terms:
            if term.start > d:
                return term.start
        raise CalendarRangeError(f"the calendar has no term starting after {d}")

    def school_days_after_next_term_start(self, d: date, n: int) -> date:
        """The nth school day after the first day of the next term (that day not counted), as
        "within 10 school days of the start of the next term" (DOMAIN §8; docs/readings.md)."""
        return self.add_school_days(self.next_term_start(d), n)


# --- terms and half-terms ------------------------------------------------------------------
WORKING_WEEK_DAYS: Final = 5


@dataclass(frozen=True)
class Term:
    """One school term: its first and last school days, and those of each half-term."""

    start: date
    end: date
    half_terms: tuple[tuple[date, date], ...]


def _break_between_terms(first_day_off: date) -> str | None:
    """Which term break a break beginning on this day could be: Christmas (1 Dec-14 Jan)
    or Easter (1 Mar-30 Apr); half-terms begin in Oct, Feb and May."""
    if first_day_off.month == 12 or (first_day_off.month == 1 and first_day_off.day < 15):
        return "christmas"
    if first_day_off.month in (3, 4):
        return "easter"
    return None


def _has_working_week(after: date, before: date) -> bool:
    """A whole Monday-Friday week lies strictly between two school days: a holiday week."""
    monday = week_monday(after) + timedelta(days=DAYS_PER_WEEK)
    return monday + timedelta(days=WORKING_WEEK_DAYS - 1) < before


@lru_cache(maxsize=256)
def terms_of(calendar: SchoolCalendar) -> tuple[Term, ...]:
    """Terms and half-terms read from the school days, so every source of term dates (the
    LA's six half-terms, a school's three terms with half-term closures) agrees.

    A term ends at the summer holiday (school years never share a term), at the longest break
    beginning 1 Dec-14 Jan (Christmas) and at the longest beginning 1 Mar-30 Apr (Easter).
    Within a term, a break holding a whole Monday-Friday week ends a half-term; a one-day
    INSET or a bank holiday does not.
    """
    days = calendar.school_days_between(date.min, date.max)
    if not days:
        return ()
    gaps = [(a, b) for a, b in pairwise(days) if (b - a).days > 1]
    ends: set[date] = set()
    longest: dict[tuple[int, str], tuple[int, date]] = {}
    for a, b in gaps:
        if academic_year_of(a) != academic_year_of(b):
            ends.add(a)
            continue
        name = _break_between_terms(a + ONE_DAY)
        if name is not None:
            key = (academic_year_of(a), name)
            if key not in longest or (b - a).days > longest[key][0]:
                longest[key] = ((b - a).days, a)
    ends |= {a for _, a in longest.values()}
    halves = {a for a, b in gaps if _has_working_week(a, b)} | ends
    terms: list[Term] = []
    term_start = half_start = days[0]
    half_terms: list[tuple[date, date]] = []
    for day, following in zip(days, [*days[1:], None], strict=True):
        if following is not None and day not in halves:
            continue
        half_terms.append((half_start, day))
        if following is None or day in ends:
            terms.append(Term(term_start, day, tuple(half_terms)))
            half_terms = []
            term_start = following or day
        half_start = following or day
    return tuple(terms)


# --- working days (deemed service; DOMAIN §5) -------------------------------------------
def is_working_day(d: date, bank_holidays: frozenset[date] | set[date]) -> bool:
    return d.weekday() < SATURDAY and d not in bank_holidays


def add_working_days(d: date, n: int, bank_holidays: frozenset[date] | set[date]) -> date:
    """The nth working day (Mon-Fri, not a bank holiday) after d; n == 0 gives d.

    Deemed receipt of a letter posted first class on day d is add_working_days(d, 2, ...).
    """
    if n < 0:
        raise ValueError("n must not be negative")
    current = d
    while n:
        current += ONE_DAY
        if is_working_day(current, bank_holidays):
            n -= 1
    return current


# --- school years and census terms ------------------------------------------------------
def academic_year_of(d: date) -> int:
    """The school year containing d, named by the year it starts: 2025 for 2025/26."""
    return d.year if d.month >= ACADEMIC_YEAR_START_MONTH else d.year - 1


def academic_year_label(year: int) -> str:
    """'2025/26' for 2025."""
    return f"{year}/{(year + 1) % 100:02d}"


def academic_year_bounds(year: int) -> tuple[date, date]:
    """1 August of `year` and 31 July of the next year."""
    return date(year, ACADEMIC_YEAR_START_MONTH, 1), date(
        year + 1, ACADEMIC_YEAR_START_MONTH, 1
    ) - ONE_DAY


def academic_year_start(d: date) -> date:
    """1 August of the school year containing d."""
    return academic_year_bounds(academic_year_of(d))[0]


class CensusTerm(StrEnum):
    AUTUMN = "autumn"
    SPRING = "spring"
    SUMMER = "summer"


def census_term_of(d: date) -> CensusTerm:
    """Census term: autumn 1 Aug-31 Dec, spring 1 Jan-Easter Sunday, summer after (DOMAIN §13)."""
    if d.month >= ACADEMIC_YEAR_START_MONTH:
        return CensusTerm.AUTUMN
    return CensusTerm.SPRING if d <= easter(d.year) else CensusTerm.SUMMER


def last_weekday_of_month(year: int, month: int, weekday: int) -> date:
    """The last given weekday (0 = Monday) of a month."""
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    last = first_of_next - ONE_DAY
    return last - timedelta(days=(last.weekday() - weekday) % DAYS_PER_WEEK)


def anniversary(born: date, years: int) -> date:
    """The date a person born on `born` attains `years` of age.

    A 29 February birthday falls on 1 March in a common year (the usual reading of the
    Family Law Reform Act 1969 s.9 in England).
    """
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)
