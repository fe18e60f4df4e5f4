"""The Digital Front Door's pure rules: submission states, reference numbers and the date
arithmetic the pathways' conditions need. No ORM, no clock: dates are passed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Final

from django.db import models

from schools.calendar import CalendarRangeError, SchoolCalendar, add_working_days
from schools.codes import lookup
from schools.rules import SessionMark


# --- the state machine (STYLE habit 6) ---------------------------------------------------------
class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Received"
    TRIAGED = "triaged", "In progress"
    CLOSED = "closed", "Closed"


# (from, to) -> the action that makes the move. Anything else is an illegal transition.
TRANSITIONS: Final[dict[tuple[str, str], str]] = {
    (Status.DRAFT, Status.SUBMITTED): "submit",
    (Status.SUBMITTED, Status.TRIAGED): "triage",
    (Status.SUBMITTED, Status.CLOSED): "close",
    (Status.TRIAGED, Status.CLOSED): "close",
    (Status.CLOSED, Status.TRIAGED): "reopen",
}
OPEN_STATUSES: Final = frozenset({Status.SUBMITTED, Status.TRIAGED})
SENT_STATUSES: Final = frozenset({Status.SUBMITTED, Status.TRIAGED, Status.CLOSED})


class IllegalTransition(ValueError):
    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"A submission cannot move from {current} to {target}.")
        self.current, self.target = current, target


def transition_action(current: str, target: str) -> str:
    """The action for a legal move; IllegalTransition otherwise (never silently ignored)."""
    try:
        return TRANSITIONS[(current, target)]
    except KeyError:
        raise IllegalTransition(current, target) from None


def allowed_targets(current: str) -> list[str]:
    return [target for (source, target) in TRANSITIONS if source == current]


# --- reference numbers ------------------------------------------------------------------------
REFERENCE_PREFIX: Final = "DFD"
REFERENCE_DIGITS: Final = 6
REFERENCE_PATTERN: Final = re.compile(r"^DFD-(\d{4})-(\d{6,})$")


def reference_format(year: int, number: int) -> str:
    """DFD-2026-000123: the calendar year of submission and that year's sequence number."""
    if number < 1:
        raise ValueError("reference numbers start at 1")
    return f"{REFERENCE_PREFIX}-{year:04d}-{number:0{REFERENCE_DIGITS}d}"


def reference_normalise(text: str) -> str:
    return text.strip().upper()


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
        return self.sessions / 2


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


# --- penalty notices (DOMAIN §5) -------------------------------------------------------------
NOTICE_TO_IMPROVE_SCHOOL_DAYS: Final = 20  # [LA setting] Kent: 20 school days (KSAH §15 iv)
POSTED_DEEMED_WORKING_DAYS: Final = 2  # [LA setting] first-class post: 2nd working day
PUBLIC_PLACE_SCHOOL_DAYS: Final = 5  # scenario 3: the first 5 school days of an exclusion


def deemed_received(sent: date, delivery: str, bank_holidays: frozenset[date]) -> date:
    """Hand delivery: the same day; post: the 2nd working day after posting (DOMAIN §5)."""
    if delivery == "hand":
        return sent
    return add_working_days(sent, POSTED_DEEMED_WORKING_DAYS, bank_holidays)


@dataclass(frozen=True)
class NoticePeriod:
    first_day: date  # day 1: the first school day after the notice is deemed received
    last_day: date  # the 20th school day; the period completes at its end


def notice_to_improve_period(calendar: SchoolCalendar, received: date) -> NoticePeriod | None:
    try:
        return NoticePeriod(
            calendar.add_school_days(received, 1),
            calendar.add_school_days(received, NOTICE_TO_IMPROVE_SCHOOL_DAYS),
        )
    except CalendarRangeError:
        return None


def within_first_school_days(
    calendar: SchoolCalendar, start: date, day: date, n: int = PUBLIC_PLACE_SCHOOL_DAYS
) -> bool:
    """Is `day` one of the first n school days from `start` (start counted when a school
    day)? Scenario 3: a public place during the first 5 school days of an exclusion."""
    if day < start or not calendar.is_school_day(day):
        return False
    return calendar.count_school_days(start, day) <= n
