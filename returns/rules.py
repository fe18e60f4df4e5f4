"""Statutory returns' pure rules (reg 9, reg 13; KSAH §22-24): the deletion grounds' dates,
continuous absence for grounds 1(i)/3(c), and when a child-missing-education referral is due.
No ORM, no clock: dates and marks are passed in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Final

from schools.calendar import CalendarRangeError, SchoolCalendar
from schools.codes import lookup
from schools.rules import SESSIONS_PER_SCHOOL_DAY, SessionMark

# --- children missing education (KSAH §22) -----------------------------------------------------
CME_SCHOOL_DAYS: Final = 10  # KSAH §22: refer within 10 school days of the last attendance


def cme_referral_due(calendar: SchoolCalendar, last_attended: date) -> date | None:
    """The last day to refer: the 10th school day after the pupil last attended; None when
    the calendar does not reach that far (term dates not loaded)."""
    try:
        return calendar.add_school_days(last_attended, CME_SCHOOL_DAYS)
    except CalendarRangeError:
        return None


# --- deletion grounds (reg 9; KSAH §22) -------------------------------------------------------
LEAVE_NOT_RETURNED_SCHOOL_DAYS: Final = 10  # ground 1(h)
CONTINUOUS_ABSENCE_SCHOOL_DAYS: Final = 20  # grounds 1(i) and 3(c)
CONTINUOUS_ABSENCE_CODES: Final = frozenset({"G", "N", "O"})  # reg 9 1(i): U breaks the run


def leave_ground_met_on(calendar: SchoolCalendar, leave_end: date) -> date | None:
    """Ground 1(h) can be met only after the 10 school days immediately after the leave."""
    try:
        return calendar.add_school_days(leave_end, LEAVE_NOT_RETURNED_SCHOOL_DAYS)
    except CalendarRangeError:
        return None


@dataclass(frozen=True)
class AbsenceRun:
    sessions: int
    first_day: date | None

    @property
    def school_days(self) -> float:
        return self.sessions / SESSIONS_PER_SCHOOL_DAY


def continuous_absence_to(
    marks: Iterable[SessionMark],
    calendar: SchoolCalendar,
    *,
    end: date,
    codes: frozenset[str] = CONTINUOUS_ABSENCE_CODES,
) -> AbsenceRun:
    """The run of sessions coded with `codes` that ends with the last session on or before
    `end`, counted back on the school's calendar. # and Y4 (the school did not meet) are
    skipped; any other code or a missing mark ends the run (reg 9 1(i)/3(c); DOMAIN §9)."""
    index = {(m.date, m.session): m.code for m in marks}
    sessions, first = 0, None
    for day in reversed(calendar.school_days_between(date.min, end)):
        for session in ("PM", "AM"):
            code = index.get((day, session))
            if code is None:
                return AbsenceRun(sessions, first)
            if lookup(code, day).whole_school_closure:
                continue
            if code not in codes:
                return AbsenceRun(sessions, first)
            sessions, first = sessions + 1, day
    return AbsenceRun(sessions, first)
