"""Continuous runs of sessions and the return episodes built on them (reg 13; DOMAIN §8).

Pure functions over `SessionMark`s and a `SchoolCalendar`, like `schools.rules`; the
vectorised twins are in `schools.register_arrays`, held to the same answers by
tests/schools/test_register_arrays.py.

A run is a maximal sequence of qualifying sessions on consecutive school-day sessions:
`#` and `Y4` sessions were not held (DOMAIN §13) and are skipped without breaking it; any
other code, or no mark, ends it. Runs cross half-terms, holidays and the boundary between
school years (DOMAIN §8 "Precise counting"): every rule here scans from the start of the
previous school year, and a run belongs to the year in which it reaches its criterion.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final

from schools.calendar import SchoolCalendar, academic_year_bounds, academic_year_of
from schools.codes import ILLNESS_CODE, Code
from schools.rules import (
    ATTENDANCE_RETURN_SCHOOL_DAYS,
    SESSIONS_PER_SCHOOL_DAY,
    SICKNESS_RETURN_SCHOOL_DAYS,
    Session,
    SessionKey,
    SessionMark,
    index_marks,
    session_of,
)
from schools.school_age import AgePeriod, within

ATTENDANCE_RETURN_SESSIONS: Final = ATTENDANCE_RETURN_SCHOOL_DAYS * SESSIONS_PER_SCHOOL_DAY  # 20
SICKNESS_RETURN_SESSIONS: Final = SICKNESS_RETURN_SCHOOL_DAYS * SESSIONS_PER_SCHOOL_DAY  # 30

Qualifies = Callable[[Code], bool]


def unauthorised(code: Code) -> bool:
    """G, N, O, U: the attendance return's codes (reg 13; DOMAIN §8)."""
    return code.is_unauthorised


def illness(code: Code) -> bool:
    """I: the sickness return's code (reg 13; DOMAIN §8)."""
    return code.code == ILLNESS_CODE


def sessions_to_school_days(sessions: int) -> Decimal:
    """Two sessions make a school day: 20 sessions = 10 school days (reg 10)."""
    return Decimal(sessions) / SESSIONS_PER_SCHOOL_DAY


@dataclass(frozen=True)
class SessionRun:
    """A run of qualifying consecutive sessions on the school calendar (empty: no run)."""

    sessions: int = 0
    first_day: date | None = None
    first_session: Session | None = None
    last_day: date | None = None
    last_session: Session | None = None

    @property
    def school_days(self) -> Decimal:
        return sessions_to_school_days(self.sessions)


def _school_sessions(calendar: SchoolCalendar, start: date, end: date) -> Iterator[SessionKey]:
    for day in calendar.school_days_between(start, end):
        yield day, 0
        yield day, 1


def _runs(
    marks: Iterable[SessionMark],
    calendar: SchoolCalendar,
    start: date,
    end: date,
    qualifies: Qualifies,
) -> list[list[SessionKey]]:
    """The qualifying sessions of every maximal run from start to end, in order."""
    index = index_marks(marks)
    runs: list[list[SessionKey]] = []
    current: list[SessionKey] = []
    for key in _school_sessions(calendar, start, end):
        code = index.get(key)
        if code is not None and code.whole_school_closure:
            continue  # the school did not meet (DOMAIN §13)
        if code is None or not qualifies(code):
            if current:
                runs.append(current)
            current = []
            continue
        current.append(key)
    if current:
        runs.append(current)
    return runs


def _run(keys: list[SessionKey]) -> SessionRun:
    first, last = keys[0], keys[-1]
    return SessionRun(len(keys), first[0], session_of(first), last[0], session_of(last))


def _longest_run(
    marks: Iterable[SessionMark],
    calendar: SchoolCalendar,
    start: date,
    end: date,
    qualifies: Qualifies,
    reaching: date | None,
) -> SessionRun:
    """The longest run (ties go to the earliest); with `reaching`, only runs whose last
    session is on or after that date, counted whole."""
    runs = [
        keys
        for keys in _runs(marks, calendar, start, end, qualifies)
        if reaching is None or keys[-1][0] >= reaching
    ]
    return _run(max(runs, key=len)) if runs else SessionRun()


def longest_unauthorised_run_school_days(
    marks: Iterable[SessionMark],
    calendar: SchoolCalendar,
    *,
    start: date,
    end: date,
    reaching: date | None = None,
) -> SessionRun:
    """Longest run of consecutive G/N/O/U sessions from start to end (reg 13; DOMAIN §8)."""
    return _longest_run(marks, calendar, start, end, unauthorised, reaching)


def longest_illness_run_sessions(
    marks: Iterable[SessionMark],
    calendar: SchoolCalendar,
    *,
    start: date,
    end: date,
    reaching: date | None = None,
) -> SessionRun:
    """Longest run of consecutive I sessions from start to end (reg 13; DOMAIN §8)."""
    return _longest_run(marks, calendar, start, end, illness, reaching)


def scan_start(year_start: date) -> date:
    """Runs are followed back to the start of the previous school year (DOMAIN §8)."""
    return academic_year_bounds(academic_year_of(year_start) - 1)[0]


def illness_sessions(
    marks: Iterable[SessionMark],
    *,
    year_start: date,
    as_of: date,
    age_period: AgePeriod | None = None,
) -> int:
    """I sessions in the school year beginning year_start, up to and including as_of; with an
    age period, only those while of compulsory school age (DOMAIN §3, §8). Divide by
    `sessions_to_school_days` for the "15 school days in the school year in total"."""
    year_end = academic_year_bounds(academic_year_of(year_start))[1]
    last = min(as_of, year_end)
    return sum(
        1
        for key, code in index_marks(marks).items()
        if year_start <= key[0] <= last and illness(code) and within(age_period, key[0])
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


# --- episodes (DOMAIN §8 "Precise counting": one return per episode) -----------------------
@dataclass(frozen=True)
class ReturnEpisode:
    """A maximal run that meets its criterion, keyed by its first session, counted whole up to
    as_of. `reached_*` is the session at which it met the criterion (which decides its school
    year); `due` is whether it meets the criterion counting only the sessions while the
    pupil was of compulsory school age (DOMAIN §3)."""

    run: SessionRun
    reached_on: date
    reached_session: Session
    due: bool

    @property
    def first_day(self) -> date:
        assert self.run.first_day is not None
        return self.run.first_day

    @property
    def last_day(self) -> date:
        assert self.run.last_day is not None
        return self.run.last_day


def _episodes(
    marks: Iterable[SessionMark],
    calendar: SchoolCalendar,
    *,
    year_start: date,
    as_of: date,
    qualifies: Qualifies,
    needed: int,
    age_period: AgePeriod | None,
) -> list[ReturnEpisode]:
    episodes = []
    for keys in _runs(marks, calendar, scan_start(year_start), as_of, qualifies):
        if len(keys) < needed or keys[needed - 1][0] < year_start:
            continue  # too short, or it met the criterion last school year
        reached = keys[needed - 1]
        compulsory = sum(1 for key in keys if within(age_period, key[0]))
        episodes.append(
            ReturnEpisode(_run(keys), reached[0], session_of(reached), compulsory >= needed)
        )
    return episodes


def attendance_return_episodes(
    marks: Iterable[SessionMark],
    calendar: SchoolCalendar,
    *,
    year_start: date,
    as_of: date,
    age_period: AgePeriod | None = None,
) -> list[ReturnEpisode]:
    """Every run of >= 20 consecutive G/N/O/U sessions that reaches 20 in the school year
    beginning year_start, up to as_of, oldest first (reg 13; KSAH §24; DOMAIN §8)."""
    return _episodes(
        marks,
        calendar,
        year_start=year_start,
        as_of=as_of,
        qualifies=unauthorised,
        needed=ATTENDANCE_RETURN_SESSIONS,
        age_period=age_period,
    )


def sickness_return_episodes(
    marks: Iterable[SessionMark],
    calendar: SchoolCalendar,
    *,
    year_start: date,
    as_of: date,
    age_period: AgePeriod | None = None,
) -> list[ReturnEpisode]:
    """Every run of >= 30 consecutive I sessions that reaches 30 in the school year beginning
    year_start, up to as_of, oldest first (reg 13; KSAH §24; DOMAIN §8)."""
    return _episodes(
        marks,
        calendar,
        year_start=year_start,
        as_of=as_of,
        qualifies=illness,
        needed=SICKNESS_RETURN_SESSIONS,
        age_period=age_period,
    )
