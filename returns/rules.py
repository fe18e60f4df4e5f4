"""Statutory returns' pure rules (reg 9, reg 13; KSAH §22-24): the deletion grounds' dates,
continuous absence for grounds 1(i)/3(c), and when a child-missing-education referral is due.
No ORM, no clock: dates and marks are passed in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
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


# --- return periods and deadlines (reg 13; KSAH §24; DOMAIN §8) -------------------------------
TERMLY: Final = "termly"
SIX_TERMS: Final = "six_terms"  # Kent's published "Term 1".."Term 6": the half-terms
MONTHLY: Final = "monthly"
RETURN_DUE_SCHOOL_DAYS: Final = 10  # [LA setting] Kent: within 10 school days of next term
WITHOUT_DELAY_SCHOOL_DAYS: Final = 1  # [LA setting] "without delay": the next school day
ATTENDANCE_RETURN_SCHOOL_DAYS: Final = 10  # reg 13: a continuous period of 10 school days
SICKNESS_RETURN_SCHOOL_DAYS: Final = 15  # reg 13: 15 school days of illness


@dataclass(frozen=True)
class ReturnPeriodSpan:
    starts: date
    ends: date
    due_on: date | None  # None: the calendar does not reach the deadline (dates not loaded)


def return_period_for(
    calendar: SchoolCalendar,
    d: date,
    *,
    cycle: str = TERMLY,
    due_school_days: int = RETURN_DUE_SCHOOL_DAYS,
) -> ReturnPeriodSpan | None:
    """The return period holding day d and its due date. Termly (Kent): the term containing
    d (holidays after it belong to the term before), due on the nth school day after the next
    term's first day. Monthly (the DfE minimum): the calendar month, due on the nth school day
    after its last day. Six terms (Kent's "Term 1".."Term 6", KSAH §24's example "within 10
    school days of term 2 for ... term 1"): the half-term, due on the nth school day after the
    next half-term's first day. None when d lies before the calendar's first term."""
    if cycle == MONTHLY:
        starts = d.replace(day=1)
        following = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        ends = following - timedelta(days=1)
        try:
            return ReturnPeriodSpan(starts, ends, calendar.add_school_days(ends, due_school_days))
        except CalendarRangeError:
            return ReturnPeriodSpan(starts, ends, None)
    if cycle == SIX_TERMS:
        halves = [h for term in calendar.terms for h in term.half_terms]
        started = [i for i, (start, _) in enumerate(halves) if start <= d]
        if not started:
            return None
        i = started[-1]  # a holiday belongs to the half-term before it
        due = None
        if i + 1 < len(halves):
            try:
                due = calendar.add_school_days(halves[i + 1][0], due_school_days)
            except CalendarRangeError:
                due = None
        return ReturnPeriodSpan(halves[i][0], halves[i][1], due)
    terms = [term for term in calendar.terms if term.start <= d]
    if not terms:
        return None
    term = terms[-1]  # a holiday belongs to the term before it
    try:
        due = calendar.school_days_after_next_term_start(term.start, due_school_days)
    except CalendarRangeError:
        due = None
    return ReturnPeriodSpan(term.start, term.end, due)


def without_delay_due(
    calendar: SchoolCalendar, met_on: date, *, school_days: int = WITHOUT_DELAY_SCHOOL_DAYS
) -> date | None:
    """A consecutive-sickness return is due without delay (reg 13; KSAH §24): read as the
    nth school day after the day the criterion was met."""
    try:
        return calendar.add_school_days(met_on, school_days)
    except CalendarRangeError:
        return None


def criterion_met_on(calendar: SchoolCalendar, first_day: date, school_days: int) -> date:
    """The day a run starting on first_day reached its nth school day (first_day counted)."""
    if not calendar.is_school_day(first_day):
        first_day = calendar.add_school_days(first_day, 1)
    try:
        return calendar.add_school_days(first_day, school_days - 1)
    except CalendarRangeError:
        return first_day


# --- compliance of one school's period (KSAH §24) ------------------------------------------
SENT: Final = "sent"
LATE: Final = "late"
DUE: Final = "due"
OVERDUE: Final = "overdue"
NIL: Final = "nil"


def period_compliance(
    *,
    open_due: Iterable[date | None],
    returned: Iterable[tuple[date, date | None]],
    today: date,
) -> str:
    """Where a school's period stands: overdue (a pupil still to return past its due date),
    due (pupils still to return, not yet late), late (all returned, one after its due date),
    sent (all returned in time) or nil (nobody needed a return). `returned` holds
    (day sent, due date) pairs; a pupil marked not needing a return counts as neither."""
    open_due = list(open_due)
    returned = list(returned)
    return period_compliance_of_counts(
        still_open=len(open_due),
        overdue=sum(1 for due in open_due if due is not None and due < today),
        returned=len(returned),
        late=sum(1 for sent, due in returned if due is not None and sent > due),
    )


def period_compliance_of_counts(*, still_open: int, overdue: int, returned: int, late: int) -> str:
    """period_compliance from counts of the period's entries (the dashboards count them in
    the database): pupils still to return, of them past their due date, pupils returned,
    of them sent after their due date."""
    if overdue:
        return OVERDUE
    if still_open:
        return DUE
    if not returned:
        return NIL
    if late:
        return LATE
    return SENT
