"""The register's statutory rules as pure functions over plain values (DOMAIN §2, §3, §5, §8).

A mark is a `SessionMark(date, session, code)`; the code is read with the code set in force
on its date. School days and school weeks come from a `SchoolCalendar`; every date that
matters (`as_of`, `from_date`, ...) is passed in. `schools.register_arrays` computes the
same answers for whole schools at once and is tested to agree exactly with this module.

Calendar-based rules (threshold, runs) only look at sessions on the calendar's school days.
The calendar a school's rules run on counts every day with a possible-session mark as a
school day (`schools.school_calendar`, docs/readings.md). Sessions coded `#` or `Y4` are not
sessions the school held (DOMAIN §13): runs skip them without breaking. Continuous runs and
the return episodes built on them live in `schools.runs`.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Final, NamedTuple

from schools.calendar import (
    ONE_DAY,
    CalendarRangeError,
    SchoolCalendar,
)
from schools.codes import N_CODE, Category, Code, lookup
from schools.school_age import (
    AgePeriod,
    within,
)

# --- constants, each with its source --------------------------------------------------------
PENALTY_THRESHOLD_SESSIONS: Final = 10  # DOMAIN §5; KSAH §15 iv; SI 2024/210 national threshold
PENALTY_WINDOW_SCHOOL_WEEKS: Final = 10  # DOMAIN §5: rolling period of 10 school weeks
N_CODE_SCHOOL_DAYS: Final = 5  # DOMAIN §2; KSAH §13: replace N within 5 school days
PERSISTENT_ABSENCE_DENOMINATOR: Final = 10  # DOMAIN §2; KSAH §4: missed >= 10% (1/10)
SEVERE_ABSENCE_DENOMINATOR: Final = 2  # DOMAIN §2; KSAH §4: missed >= 50% (1/2)
ATTENDANCE_RETURN_SCHOOL_DAYS: Final = 10  # reg 13; KSAH §24; DOMAIN §8: continuous absence
SICKNESS_RETURN_SCHOOL_DAYS: Final = 15  # reg 13; KSAH §24; DOMAIN §8: consecutive or in total
SESSIONS_PER_SCHOOL_DAY: Final = 2  # reg 10: morning and afternoon; the one such constant
# Education (Start of Compulsory School Age) Order 1998: the prescribed days (month, day).
PERCENT_PLACES: Final = 100  # attendance rate to 2 decimal places


class Session(StrEnum):
    AM = "AM"
    PM = "PM"


AM: Final = Session.AM
PM: Final = Session.PM
SESSION_ORDER: Final = {AM: 0, PM: 1}  # AM before PM; also the slot offset in a day
# How the register stores a session (Mark.session): the same concept, as a number.
SESSION_CHOICES: Final = tuple((order, session.value) for session, order in SESSION_ORDER.items())


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


def session_of(key: SessionKey) -> Session:
    return AM if key[1] == 0 else PM


def index_marks(marks: Iterable[SessionMark]) -> dict[SessionKey, Code]:
    """Marks keyed by session, each read with the code set of its date."""
    index: dict[SessionKey, Code] = {}
    for mark in marks:
        key = session_key(mark.date, mark.session)
        if key in index:
            raise DuplicateMark(f"two marks for the {mark.session} session of {mark.date}")
        index[key] = lookup(mark.code, mark.date)
    return index


def mark_at(key: SessionKey, code: Code) -> SessionMark:
    return SessionMark(key[0], session_of(key), code.code)


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
    index = index_marks(marks)
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


def below_attendance_target(*, attendance: int, possible: int, target: Decimal | int) -> bool:
    """Attendance below a policy target (a percentage), compared exactly, never after rounding.

    KSAH §15 iv: a penalty notice needs attendance below the school's policy target; 89.996%
    is below 90% although it shows as 90.00%. False when nothing was possible.
    """
    return possible > 0 and Decimal(attendance) * 100 < Decimal(target) * possible


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
    """When met: the first episode's session and window; else the window at as_of."""

    met: bool
    met_on: date | None
    met_session: Session | None
    window_start: date | None
    count: int
    window: ThresholdWindow | None


@dataclass(frozen=True)
class ThresholdEpisode:
    """An episode begins at the session that brings the window's count to 10 (DOMAIN §5)."""

    met_on: date
    met_session: Session
    window: ThresholdWindow

    @property
    def window_start(self) -> date:
        return self.window.window_start

    @property
    def count(self) -> int:
        return self.window.count


class _ThresholdSessions:
    """G/N/O/U sessions on school days (while of compulsory school age, when an age period
    is given), sorted, with window counting by bisection."""

    def __init__(
        self,
        marks: Iterable[SessionMark],
        calendar: SchoolCalendar,
        age_period: AgePeriod | None = None,
    ) -> None:
        index = index_marks(marks)
        self.calendar = calendar
        self.items = sorted(
            (key, code)
            for key, code in index.items()
            if code.is_unauthorised
            and calendar.is_school_day(key[0])
            and within(age_period, key[0])
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
        marks = tuple(mark_at(key, code) for key, code in self.items[lo:hi])
        return ThresholdWindow(start, end[0], session_of(end), marks)


def threshold_window(
    marks: Iterable[SessionMark],
    calendar: SchoolCalendar,
    *,
    as_of: date,
    age_period: AgePeriod | None = None,
) -> ThresholdWindow:
    """The trailing 10-school-week window at the end of as_of, to show the school (DOMAIN §5)."""
    return _ThresholdSessions(marks, calendar, age_period).window((as_of, SESSION_ORDER[PM]))


def penalty_threshold_episodes(
    marks: Iterable[SessionMark],
    calendar: SchoolCalendar,
    *,
    as_of: date,
    from_date: date | None = None,
    age_period: AgePeriod | None = None,
) -> list[ThresholdEpisode]:
    """Every episode beginning at a school-day session S in [from_date, as_of], oldest first.

    The count at S is the G/N/O/U sessions from the Monday of the 10th school week back
    (S's week is week 1) up to and including S; an episode begins where it reaches 10 after
    being below 10 at the school session before (DOMAIN §5 "Precise counting", "Episodes";
    KSAH §15 iv). Sessions before from_date still count, and decide whether the count was
    already met: an episode begun before from_date (e.g. last school year) is not raised
    again. With an age period, only sessions while of compulsory school age count (DOMAIN §3).
    """
    found = _ThresholdSessions(marks, calendar, age_period)
    if not found.keys:
        return []
    start = found.keys[0][0] if from_date is None else from_date
    before = calendar.last_school_days(start - ONE_DAY, 1)
    met = bool(before) and found.count((before[0], 1)) >= PENALTY_THRESHOLD_SESSIONS
    episodes = []
    for day in calendar.school_days_between(start, as_of):
        for session in (0, 1):
            now = found.count((day, session)) >= PENALTY_THRESHOLD_SESSIONS
            if now and not met:
                window = found.window((day, session))
                episodes.append(ThresholdEpisode(day, window.end_session, window))
            met = now
    return episodes


def penalty_threshold(
    marks: Iterable[SessionMark],
    calendar: SchoolCalendar,
    *,
    as_of: date,
    from_date: date | None = None,
    age_period: AgePeriod | None = None,
) -> ThresholdResult:
    """The first episode in [from_date, as_of] (`penalty_threshold_episodes`), or when there
    is none, the trailing window at as_of (DOMAIN §5; KSAH §15 iv)."""
    episodes = penalty_threshold_episodes(
        marks, calendar, as_of=as_of, from_date=from_date, age_period=age_period
    )
    if episodes:
        first = episodes[0]
        return ThresholdResult(
            True, first.met_on, first.met_session, first.window_start, first.count, first.window
        )
    trailing = threshold_window(marks, calendar, as_of=as_of, age_period=age_period)
    return ThresholdResult(False, None, None, trailing.window_start, trailing.count, trailing)


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
    for key, code in sorted(index_marks(marks).items()):
        if code.code != N_CODE:
            continue
        try:
            due = n_code_due(calendar, key[0])
        except CalendarRangeError:
            continue
        if as_of > due:
            overdue.append(OverdueN(key[0], session_of(key), due))
    return overdue
