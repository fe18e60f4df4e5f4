"""A read model of one pupil's register: the figures a Digital Front Door pathway, a penalty
notice or a return shows and checks, at the pupil's school, as of the last day the school's
register reached.

Built on `schools.attendance_report.pupil_year_load` and the pure rules of `schools.rules`
(the threshold window, statistics, compulsory school age). Rules of a higher floor (the
continuous absence of `returns.rules`) are applied by their callers to `marks` and
`calendar`. A snapshot of these figures is kept with each submission, so the officer sees
what the school saw.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from schools.attendance_report import NoEnrolment, pupil_year_load
from schools.calendar import SchoolCalendar, academic_year_label
from schools.codes import lookup
from schools.models import Pupil, School
from schools.rules import (
    PENALTY_THRESHOLD_SESSIONS,
    SessionMark,
    attendance_rate,
    is_persistent_absence,
    is_severe_absence,
    penalty_threshold,
    session_statistics,
    threshold_window,
)
from schools.school_age import is_compulsory_school_age

RECENT_SCHOOL_DAYS = 20  # KSAH §15 iv: a statutory referral closes with no unauthorised
# absence in the most recent 20 school days


@dataclass(frozen=True)
class ThresholdFacts:
    """The penalty notice threshold window (DOMAIN §5 "Precise counting")."""

    window_start: date
    end: date
    sessions: tuple[SessionMark, ...]  # the G/N/O/U sessions in the window
    met_on: date | None  # the first session this school year the threshold was met
    c2_sessions: int  # C2 recorded anywhere in the window (part-time timetable)
    compulsory_sessions: int  # window sessions while the pupil was of compulsory school age

    @property
    def count(self) -> int:
        return len(self.sessions)

    @property
    def met(self) -> bool:
        return self.count >= PENALTY_THRESHOLD_SESSIONS

    def by_code(self) -> dict[str, int]:
        counts = {code: 0 for code in ("G", "N", "O", "U")}
        for mark in self.sessions:
            counts[mark.code] = counts.get(mark.code, 0) + 1
        return counts

    @property
    def outstanding_n(self) -> bool:
        """A request cannot be submitted while a threshold session is still N (DOMAIN §5)."""
        return any(mark.code == "N" for mark in self.sessions)


@dataclass(frozen=True)
class RegisterFacts:
    as_of: date  # the last day with a mark on the pupil's register (not after today)
    school: School
    academic_year: str
    compulsory_school_age: bool
    possible: int
    present: int
    authorised: int
    unauthorised: int
    attendance_rate: Decimal | None
    persistent_absence: bool
    severe_absence: bool
    threshold: ThresholdFacts
    last_attended: date | None
    recent_days: tuple[date, ...]  # the most recent 20 school days up to as_of
    recent_unauthorised: int  # G/N/O/U sessions in them
    recent_c2: int  # C2 sessions in them
    exclusion_sessions: int  # E sessions this school year
    calendar: SchoolCalendar
    marks: tuple[SessionMark, ...]

    def code_on(self, day: date, session: str) -> str | None:
        for mark in self.marks:
            if mark.date == day and mark.session == session:
                return mark.code
        return None

    def codes_between(self, start: date, end: date) -> list[SessionMark]:
        return [m for m in self.marks if start <= m.date <= end]

    def snapshot(self) -> dict[str, Any]:
        """The figures as JSON, kept with the submission."""
        return {
            "as_of": self.as_of.isoformat(),
            "school_urn": self.school.urn,
            "academic_year": self.academic_year,
            "compulsory_school_age": self.compulsory_school_age,
            "sessions": {
                "possible": self.possible,
                "present": self.present,
                "authorised": self.authorised,
                "unauthorised": self.unauthorised,
            },
            "attendance_rate": None
            if self.attendance_rate is None
            else float(self.attendance_rate),
            "persistent_absence": self.persistent_absence,
            "severe_absence": self.severe_absence,
            "threshold": {
                "window_start": self.threshold.window_start.isoformat(),
                "end": self.threshold.end.isoformat(),
                "count": self.threshold.count,
                "met": self.threshold.met,
                "met_on": self.threshold.met_on.isoformat() if self.threshold.met_on else None,
                "by_code": self.threshold.by_code(),
                "outstanding_n": self.threshold.outstanding_n,
                "c2_sessions": self.threshold.c2_sessions,
                "sessions": [
                    [m.date.isoformat(), m.session, m.code] for m in self.threshold.sessions
                ],
            },
            "last_attended": self.last_attended.isoformat() if self.last_attended else None,
            "recent_school_days": len(self.recent_days),
            "recent_unauthorised_sessions": self.recent_unauthorised,
            "recent_c2_sessions": self.recent_c2,
            "exclusion_sessions": self.exclusion_sessions,
        }


def register_facts_for(pupil: Pupil, today: date) -> RegisterFacts | None:
    """None when the pupil has no enrolment by today."""
    try:
        data = pupil_year_load(pupil, today)
    except NoEnrolment:
        return None
    marks = tuple(sorted(data.marks, key=lambda m: (m.date, m.session)))
    as_of = max((m.date for m in marks), default=today)
    this_year = [m for m in marks if data.year_start <= m.date <= as_of]
    stats = session_statistics(this_year)
    calendar = data.calendar
    dob = pupil.date_of_birth

    trailing = threshold_window(marks, calendar, as_of=as_of)
    first = penalty_threshold(marks, calendar, as_of=as_of, from_date=data.year_start)
    window = trailing
    if len(trailing.sessions) < PENALTY_THRESHOLD_SESSIONS and first.met and first.window:
        window = first.window  # show the window in which it was met this year
    in_window = [m for m in marks if window.window_start <= m.date <= window.end]
    threshold = ThresholdFacts(
        window_start=window.window_start,
        end=window.end,
        sessions=tuple(window.sessions),
        met_on=first.met_on if first.met else None,
        c2_sessions=sum(1 for m in in_window if m.code == "C2"),
        compulsory_sessions=sum(
            1 for m in window.sessions if is_compulsory_school_age(dob, m.date)
        ),
    )
    recent = tuple(calendar.last_school_days(as_of, RECENT_SCHOOL_DAYS))
    recent_marks = [m for m in marks if recent and recent[0] <= m.date <= as_of]
    attended = [m.date for m in marks if lookup(m.code, m.date).counts_as_attendance]
    return RegisterFacts(
        as_of=as_of,
        school=data.school,
        academic_year=academic_year_label(data.year),
        compulsory_school_age=is_compulsory_school_age(dob, as_of),
        possible=stats.possible,
        present=stats.attendance,
        authorised=stats.authorised,
        unauthorised=stats.unauthorised,
        attendance_rate=attendance_rate(stats),
        persistent_absence=is_persistent_absence(stats),
        severe_absence=is_severe_absence(stats),
        threshold=threshold,
        last_attended=max(attended) if attended else None,
        recent_days=recent,
        recent_unauthorised=sum(1 for m in recent_marks if lookup(m.code, m.date).is_unauthorised),
        recent_c2=sum(1 for m in recent_marks if m.code == "C2"),
        exclusion_sessions=sum(1 for m in this_year if m.code == "E"),
        calendar=calendar,
        marks=marks,
    )
