"""Pure rules the pathways' conditions apply to the register and the answers: suspensions
back to back for day-6 provision, codes that do not fit the pupil's age, a part-time
timetable still running. No ORM, no clock. (Kept apart from `referrals.rules`, which the
models load, so that loading a model loads no calendar.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from schools.calendar import SchoolCalendar
from schools.rules import SessionMark
from schools.school_age import is_compulsory_school_age

# --- suspensions: provision from day 6 (KSAH §19; DOMAIN §10) ---------------------------------
DAY_SIX_SESSIONS: Final = 10  # provision from the 6th school day: more than 5 days = 10 sessions


@dataclass(frozen=True)
class Suspension:
    start: date
    end: date
    sessions: int


def back_to_back_sessions(
    calendar: SchoolCalendar, *, start: date, earlier: Iterable[Suspension]
) -> int:
    """Sessions of the earlier suspensions that run back to back into one starting on
    `start` (each ending on the school day before the next begins). Consecutive suspensions
    count together for provision from the sixth school day (KSAH §19; DOMAIN §10)."""
    by_end = {suspension.end: suspension for suspension in earlier}
    total, current, seen = 0, start, set()
    while True:
        before = calendar.last_school_days(current - timedelta(days=1), 1)
        suspension = by_end.get(before[0]) if before else None
        if suspension is None or suspension in seen:
            return total
        seen.add(suspension)
        total, current = total + suspension.sessions, suspension.start


def day_six_provision_needed(sessions: int, back_to_back: int) -> bool:
    return sessions + back_to_back > DAY_SIX_SESSIONS


# --- codes that do not fit the pupil's age (the register is the school's: flagged) ---------
def code_age_mismatches(marks: Iterable[SessionMark], *, dob: date) -> tuple[int, int]:
    """(C2 sessions while below compulsory school age, X sessions while of it). C2 is the
    part-time timetable code for a pupil of compulsory school age; X is for a pupil not of
    compulsory school age (SI 2024/208 Schedule; DOMAIN §2, §11). Flagged, never refused."""
    c2_below = x_of_age = 0
    for mark in marks:
        if mark.code == "C2" and not is_compulsory_school_age(dob, mark.date):
            c2_below += 1
        elif mark.code == "X" and is_compulsory_school_age(dob, mark.date):
            x_of_age += 1
    return c2_below, x_of_age


# --- statutory intervention: not while a part-time timetable runs (KSAH §15 iv, §18) --------
CURRENT_TIMETABLE_SCHOOL_DAYS: Final = 5  # the most recent school week the register reached


def c2_in_latest_days(marks: Iterable[SessionMark], days: Iterable[date]) -> int:
    """C2 sessions on the given (most recent) school days."""
    wanted = set(days)
    return sum(1 for mark in marks if mark.code == "C2" and mark.date in wanted)
