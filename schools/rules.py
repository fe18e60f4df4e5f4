"""The register's statutory rules as pure functions over plain values (DOMAIN §2, §3, §5, §8).

A mark is a `SessionMark(date, session, code)`; the code is read with the code set in force
on its date. School days and school weeks come from a `SchoolCalendar`; every date that
matters (`as_of`, `from_date`, ...) is passed in. `schools.register_arrays` computes the
same answers for whole schools at once and is tested to agree exactly with this module.

Calendar-based rules (threshold, runs) only look at sessions on the calendar's school days;
a mark on any other day is ignored by them (imports should reject it). Sessions coded `#`
or `Y4` are not sessions the school held (DOMAIN §13): runs skip them without breaking.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Final, NamedTuple

from schools.calendar import (
    CalendarRangeError,
    SchoolCalendar,
    academic_year_bounds,
    academic_year_of,
    anniversary,
    last_weekday_of_month,
)
from schools.codes import ILLNESS_CODE, N_CODE, Category, Code, lookup

# --- constants, each with its source --------------------------------------------------------
PENALTY_THRESHOLD_SESSIONS: Final = 10  # DOMAIN §5; KSAH §15 iv; SI 2024/210 national threshold
PENALTY_WINDOW_SCHOOL_WEEKS: Final = 10  # DOMAIN §5: rolling period of 10 school weeks
N_CODE_SCHOOL_DAYS: Final = 5  # DOMAIN §2; KSAH §13: replace N within 5 school days
PERSISTENT_ABSENCE_DENOMINATOR: Final = 10  # DOMAIN §2; KSAH §4: missed >= 10% (1/10)
SEVERE_ABSENCE_DENOMINATOR: Final = 2  # DOMAIN §2; KSAH §4: missed >= 50% (1/2)
ATTENDANCE_RETURN_SCHOOL_DAYS: Final = 10  # reg 13; KSAH §24; DOMAIN §8: continuous absence
SICKNESS_RETURN_SCHOOL_DAYS: Final = 15  # reg 13; KSAH §24; DOMAIN §8: consecutive or in total
SESSIONS_PER_SCHOOL_DAY: Final = 2  # reg 10: morning and afternoon sessions
COMPULSORY_START_AGE: Final = 5  # EA96 s.8(2)
COMPULSORY_END_AGE: Final = 16  # EA96 s.8(3)
# Education (Start of Compulsory School Age) Order 1998: the prescribed days (month, day).
PRESCRIBED_DAYS: Final = ((3, 31), (8, 31), (12, 31))
SCHOOL_LEAVING_MONTH: Final = 6  # Education (School Leaving Date) Order 1997: last Friday in June
FRIDAY: Final = 4
PERCENT_PLACES: Final = 100  # attendance rate to 2 decimal places


class Session(StrEnum):
    AM = "AM"
    PM = "PM"


AM: Final = Session.AM
PM: Final = Session.PM
SESSION_ORDER: Final = {AM: 0, PM: 1}  # AM before PM; also the slot offset in a day


class SessionMark(NamedTuple):
    date: date
    session: str  # "AM" or "PM"
    code: str


SessionKey = tuple[date, int]  # (date, 0 for AM / 1 for PM): sorts in register order


class DuplicateMark(ValueError):
    """Two marks for the same pupil, date and session."""


def session_key(d: date, session: str) -> SessionKey:
    try:
        return d, SESSION_ORDER[Session(session)]
    except ValueError:
        raise ValueError(f"session must be 'AM' or 'PM', not {session!r}") from None


def _session_of(key: SessionKey) -> Session:
    return AM if key[1] == 0 else PM


def _index(marks: Iterable[SessionMark]) -> dict[SessionKey, Code]:
    """Marks keyed by session, each read with the code set of its date."""
    index: dict[SessionKey, Code] = {}
    for mark in marks:
        key = session_key(mark.date, mark.session)
        if key in index:
            raise DuplicateMark(f"two marks for the {mark.session} session of {mark.date}")
        index[key] = lookup(mark.code, mark.date)
    return index


def _mark(key: SessionKey, code: Code) -> SessionMark:
    return SessionMark(key[0], _session_of(key), code.code)


# --- statistics (DOMAIN §2; KSAH §4) ---------------------------------------------------------
@dataclass(frozen=True)
class SessionStatistics:
    possible: int = 0
    present: int = 0
    approved_activity: int = 0
    authorised: int = 0
    unauthorised: int = 0
    not_possible: int = 0
    administrative: int = 0
    by_code: dict[str, int] = field(default_factory=dict, hash=False)

    @property
    def attendance(self) -> int:
        return self.present + self.approved_activity

    @property
    def absence(self) -> int:
        return self.authorised + self.unauthorised


def session_statistics(marks: Iterable[SessionMark]) -> SessionStatistics:
    """Sessions per statistical category; possible = attendance + absence (DOMAIN §2)."""
    index = _index(marks)
    per_category = Counter(code.category for code in index.values())
    return SessionStatistics(
        possible=sum(1 for code in index.values() if code.possible),
        present=per_category[Category.PRESENT],
        approved_activity=per_category[Category.APPROVED_ACTIVITY],
        authorised=per_category[Category.AUTHORISED],
        unauthorised=per_category[Category.UNAUTHORISED],
        not_possible=per_category[Category.NOT_POSSIBLE],
        administrative=per_category[Category.ADMINISTRATIVE],
        by_code=dict(Counter(code.code for code in index.values())),
    )


def attendance_rate(stats: SessionStatistics) -> Decimal | None:
    """(present + approved) / possible as a percentage, 2 dp half-up; None if nothing possible."""
    if stats.possible == 0:
        return None
    scale = 100 * PERCENT_PLACES
    # Integer half-up rounding: exact, no float or Decimal context involved.
    hundredths = (2 * stats.attendance * scale + stats.possible) // (2 * stats.possible)
    return Decimal(hundredths).scaleb(-2)


def is_persistent_absence(stats: SessionStatistics) -> bool:
    """Missed 10% or more of possible sessions (DOMAIN §2; KSAH §4)."""
    return persistent_absence(absence=stats.absence, possible=stats.possible)


def is_severe_absence(stats: SessionStatistics) -> bool:
    """Missed 50% or more of possible sessions (DOMAIN §2; KSAH §4)."""
    return severe_absence(absence=stats.absence, possible=stats.possible)


def persistent_absence(*, absence: int, possible: int) -> bool:
    """PA from session counts, compared exactly: absence / possible >= 1/10 (KSAH §4)."""
    return possible > 0 and absence * PERSISTENT_ABSENCE_DENOMINATOR >= possible


def severe_absence(*, absence: int, possible: int) -> bool:
    """SA from session counts, compared exactly: absence / possible >= 1/2 (KSAH §4)."""
    return possible > 0 and absence * SEVERE_ABSENCE_DENOMINATOR >= possible


# --- compulsory school age (EA96 s.8; DOMAIN §3) ---------------------------------------------
def compulsory_school_age_start(dob: date) -> date:
    """The first prescribed day (31 Mar, 31 Aug, 31 Dec) on or after the 5th birthday."""
    fifth = anniversary(dob, COMPULSORY_START_AGE)
    return min(
        day for month, dom in PRESCRIBED_DAYS if (day := date(fifth.year, month, dom)) >= fifth
    )


def school_leaving_date(year: int) -> date:
    """The last Friday in June (Education (School Leaving Date) Order 1997)."""
    return last_weekday_of_month(year, SCHOOL_LEAVING_MONTH, FRIDAY)


def compulsory_school_age_end(dob: date, *, school_year_start: date | None = None) -> date:
    """The last day of compulsory school age (EA96 s.8(3); DOMAIN §3).

    The school leaving date of the year the child turns 16 if the birthday is on or before
    it (s.8(3)(b),(c)) or after it but before the next school year begins (s.8(3)(a));
    otherwise the next year's. `school_year_start` is the first day of that next school
    year (the autumn term, EA96 s.579); by default 1 September, i.e. "16 by the end of the
    summer holidays", which keeps every Year 11 pupil (born Sept-Aug) leaving together.
    """
    sixteenth = anniversary(dob, COMPULSORY_END_AGE)
    leaving = school_leaving_date(sixteenth.year)
    next_year = school_year_start or date(sixteenth.year, 9, 1)
    if next_year.year != sixteenth.year:
        raise ValueError("school_year_start must fall in the year the child turns 16")
    if sixteenth <= leaving or sixteenth < next_year:
        return leaving
    return school_leaving_date(sixteenth.year + 1)


def is_compulsory_school_age(dob: date, on: date, *, school_year_start: date | None = None) -> bool:
    start = compulsory_school_age_start(dob)
    return start <= on <= compulsory_school_age_end(dob, school_year_start=school_year_start)


# --- penalty notice threshold (DOMAIN §5 "Precise counting") ---------------------------------
@dataclass(frozen=True)
class ThresholdWindow:
    """The G/N/O/U sessions from a window's Monday up to and including one session."""

    window_start: date
    end: date
    end_session: Session
    sessions: tuple[SessionMark, ...]

    @property
    def count(self) -> int:
        return len(self.sessions)

    @property
    def by_code(self) -> dict[str, int]:
        return dict(Counter(mark.code for mark in self.sessions))

    @property
    def has_outstanding_n(self) -> bool:
        """A request cannot be submitted while a threshold session is still N (DOMAIN §5)."""
        return any(mark.code == N_CODE for mark in self.sessions)


@dataclass(frozen=True)
class ThresholdResult:
    """When met: the first session that met it and its window; else the window at as_of."""

    met: bool
    met_on: date | None
    met_session: Session | None
    window_start: date | None
    count: int
    window: ThresholdWindow | None


class _ThresholdSessions:
    """G/N/O/U sessions on school days, sorted, with window counting by bisection."""

    def __init__(self, marks: Iterable[SessionMark], calendar: SchoolCalendar) -> None:
        index = _index(marks)
        self.calendar = calendar
        self.items = sorted(
            (key, code)
            for key, code in index.items()
            if code.is_unauthorised and calendar.is_school_day(key[0])
        )
        self.keys = [key for key, _ in self.items]

    def _bounds(self, end: SessionKey) -> tuple[date, int, int]:
        start = self.calendar.window_start_for_school_weeks(end[0], PENALTY_WINDOW_SCHOOL_WEEKS)
        return start, bisect_left(self.keys, (start, 0)), bisect_right(self.keys, end)

    def count(self, end: SessionKey) -> int:
        _, lo, hi = self._bounds(end)
        return hi - lo

    def window(self, end: SessionKey) -> ThresholdWindow:
        start, lo, hi = self._bounds(end)
        marks = tuple(_mark(key, code) for key, code in self.items[lo:hi])
        return ThresholdWindow(start, end[0], _session_of(end), marks)


def threshold_window(
    marks: Iterable[SessionMark], calendar: SchoolCalendar, *, as_of: date
) -> ThresholdWindow:
    """The trailing 10-school-week window at the end of as_of, to show the school (DOMAIN §5)."""
    return _ThresholdSessions(marks, calendar).window((as_of, SESSION_ORDER[PM]))


def penalty_threshold(
    marks: Iterable[SessionMark],
    calendar: SchoolCalendar,
    *,
    as_of: date,
    from_date: date | None = None,
) -> ThresholdResult:
    """The first school-day session S in [from_date, as_of] with >= 10 G/N/O/U sessions from
    the Monday of the 10th school week back (S's week is week 1) up to and including S.

    DOMAIN §5 "Precise counting"; KSAH §15 iv. Sessions before from_date still count in
    the window; from_date only limits which sessions S are tested.
    """
    found = _ThresholdSessions(marks, calendar)
    if from_date is None and found.keys:
        from_date = found.keys[0][0]  # nothing can be met before the first G/N/O/U
    if from_date is not None:
        for day in calendar.school_days_between(from_date, as_of):
            for session in (0, 1):
                if found.count((day, session)) >= PENALTY_THRESHOLD_SESSIONS:
                    window = found.window((day, session))
                    return ThresholdResult(
                        True, day, window.end_session, window.window_start, window.count, window
                    )
    trailing = found.window((as_of, SESSION_ORDER[PM]))
    return ThresholdResult(False, None, None, trailing.window_start, trailing.count, trailing)


# --- continuous runs (DOMAIN §8 "Precise counting") ------------------------------------------
@dataclass(frozen=True)
class SessionRun:
    """The longest run of qualifying consecutive sessions on the school calendar."""

    sessions: int = 0
    first_day: date | None = None
    first_session: Session | None = None
    last_day: date | None = None
    last_session: Session | None = None

    @property
    def school_days(self) -> Decimal:
        """Two sessions make a school day: 20 sessions = 10 school days."""
        return Decimal(self.sessions) / SESSIONS_PER_SCHOOL_DAY


def _school_sessions(calendar: SchoolCalendar, start: date, end: date) -> Iterator[SessionKey]:
    for day in calendar.school_days_between(start, end):
        yield day, 0
        yield day, 1


def _longest_run(
    marks: Iterable[SessionMark],
    calendar: SchoolCalendar,
    start: date,
    end: date,
    qualifies: Callable[[Code], bool],
) -> SessionRun:
    """Qualifying sessions extend a run; # and Y4 are skipped; anything else (or no mark) ends it.

    Ties go to the earliest run.
    """
    index = _index(marks)
    best = SessionRun()
    length, first = 0, None
    for key in _school_sessions(calendar, start, end):
        code = index.get(key)
        if code is not None and code.whole_school_closure:
            continue  # the school did not meet (DOMAIN §13)
        if code is None or not qualifies(code):
            length = 0
            continue
        if length == 0:
            first = key
        length += 1
        if length > best.sessions and first is not None:
            best = SessionRun(length, first[0], _session_of(first), key[0], _session_of(key))
    return best


def longest_unauthorised_run_school_days(
    marks: Iterable[SessionMark], calendar: SchoolCalendar, *, start: date, end: date
) -> SessionRun:
    """Longest run of consecutive G/N/O/U sessions from start to end (reg 13; DOMAIN §8)."""
    return _longest_run(marks, calendar, start, end, lambda code: code.is_unauthorised)


def longest_illness_run_sessions(
    marks: Iterable[SessionMark], calendar: SchoolCalendar, *, start: date, end: date
) -> SessionRun:
    """Longest run of consecutive I sessions from start to end (reg 13; DOMAIN §8)."""
    return _longest_run(marks, calendar, start, end, lambda code: code.code == ILLNESS_CODE)


def illness_sessions(marks: Iterable[SessionMark], *, year_start: date, as_of: date) -> int:
    """I sessions in the school year beginning year_start, up to and including as_of."""
    year_end = academic_year_bounds(academic_year_of(year_start))[1]
    last = min(as_of, year_end)
    return sum(
        1
        for key, code in _index(marks).items()
        if year_start <= key[0] <= last and code.code == ILLNESS_CODE
    )


def illness_school_days(marks: Iterable[SessionMark], *, year_start: date, as_of: date) -> Decimal:
    """School days of illness this school year: I sessions / 2 (DOMAIN §8)."""
    return (
        Decimal(illness_sessions(marks, year_start=year_start, as_of=as_of))
        / SESSIONS_PER_SCHOOL_DAY
    )


def attendance_return_due(run_days: Decimal | int, compulsory: bool) -> bool:
    """Continuous G/N/O/U absence of at least 10 school days (reg 13; KSAH §24)."""
    return compulsory and run_days >= ATTENDANCE_RETURN_SCHOOL_DAYS


def sickness_return_due(
    consecutive_days: Decimal | int, total_days: Decimal | int, compulsory: bool
) -> bool:
    """I for 15 consecutive school days, or 15 in the school year in total (reg 13; KSAH §24)."""
    return compulsory and (
        consecutive_days >= SICKNESS_RETURN_SCHOOL_DAYS or total_days >= SICKNESS_RETURN_SCHOOL_DAYS
    )


# --- N codes (DOMAIN §2; KSAH §13, §17) ------------------------------------------------------
class OverdueN(NamedTuple):
    date: datetime.date
    session: Session
    due: datetime.date  # the 5th school day after the N's date; overdue once it has passed


def n_code_due(calendar: SchoolCalendar, marked_on: date) -> date:
    """The last day to replace an N: the 5th school day after the day it was recorded."""
    return calendar.add_school_days(marked_on, N_CODE_SCHOOL_DAYS)


def overdue_n_codes(
    marks: Iterable[SessionMark], calendar: SchoolCalendar, *, as_of: date
) -> list[OverdueN]:
    """N marks still N after the 5th school day after their date (as_of > due), in order.

    An N whose 5th school day lies beyond the calendar is not (yet) overdue: pass a
    calendar that covers as_of.
    """
    overdue = []
    for key, code in sorted(_index(marks).items()):
        if code.code != N_CODE:
            continue
        try:
            due = n_code_due(calendar, key[0])
        except CalendarRangeError:
            continue
        if as_of > due:
            overdue.append(OverdueN(key[0], _session_of(key), due))
    return overdue
