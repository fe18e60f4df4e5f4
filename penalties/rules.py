"""Penalty notices' pure rules (DOMAIN §5; SI 2007/1867 as amended by SI 2024/210): deemed
receipt, the notice-to-improve period, the public-place days, what each case counts, the
policy target and escalation per parent. No ORM, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from schools.calendar import CalendarRangeError, SchoolCalendar, add_working_days
from schools.rules import SessionMark
from schools.school_age import is_compulsory_school_age

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


# --- the three cases a request may be made in (DOMAIN §5 "Precise counting") ------------------
CASE_SESSIONS: Final = 10  # SI 2024/210: 10 sessions of unauthorised absence
LEAVE_CODES: Final = frozenset({"G"})  # DOMAIN §5: the leave case counts G only
THRESHOLD_CODES: Final = frozenset({"G", "N", "O", "U"})  # DOMAIN §5: the national threshold


def leave_case_sessions(
    marks: Iterable[SessionMark], *, dob: date, leave_from: date, leave_to: date
) -> int:
    """G sessions within the leave dates the school states, counted only while the pupil was
    of compulsory school age (DOMAIN §5; EA96 s.8): the leave case needs 10."""
    return sum(
        1
        for mark in marks
        if mark.code in LEAVE_CODES
        and leave_from <= mark.date <= leave_to
        and is_compulsory_school_age(dob, mark.date)
    )


def unauthorised_case_sessions(sessions: Iterable[SessionMark], *, dob: date) -> int:
    """G/N/O/U sessions of a 10-school-week window that fell while the pupil was of
    compulsory school age (DOMAIN §3, §5): the unauthorised case needs 10."""
    return sum(
        1
        for mark in sessions
        if mark.code in THRESHOLD_CODES and is_compulsory_school_age(dob, mark.date)
    )


@dataclass(frozen=True)
class PublicPlaceCase:
    """Scenario 3: seen in a public place in school hours while excluded."""

    within_first_days: bool  # one of the first 5 school days of the exclusion
    of_compulsory_age: bool  # EIA06 s.103: a pupil of compulsory school age
    excluded: bool  # the register shows E on the day

    @property
    def met(self) -> bool:
        return self.within_first_days and self.of_compulsory_age and self.excluded


def public_place_case(
    calendar: SchoolCalendar,
    *,
    dob: date,
    exclusion_start: date,
    seen: date,
    codes_on_seen: Iterable[str | None],
) -> PublicPlaceCase:
    return PublicPlaceCase(
        within_first_days=within_first_school_days(calendar, exclusion_start, seen),
        of_compulsory_age=is_compulsory_school_age(dob, seen),
        excluded="E" in set(codes_on_seen),
    )


# --- escalation, per parent (DOMAIN §5 "Escalation window"; SI 2024/210) ----------------------
class Escalation(StrEnum):
    FIRST = "first"  # first-notice tariff: £80 within 21 days, £160 within 28
    SECOND = "second"  # £160 flat
    NO_NOTICE = "no_notice"  # at the limit: no notice; other legal intervention


ESCALATION_LIMIT: Final = 2  # two notices in the window: no third (DOMAIN §5)


def escalation_for(previous_notices: int) -> Escalation:
    """The notice this parent may get, from their notices for this child in the window."""
    if previous_notices <= 0:
        return Escalation.FIRST
    if previous_notices < ESCALATION_LIMIT:
        return Escalation.SECOND
    return Escalation.NO_NOTICE


def other_intervention(case: str) -> str:
    """What follows for a parent at the limit: for leave, prosecution under the Single
    Justice Procedure (KSAH §15 iv); otherwise other legal intervention."""
    if case == "leave":
        return "Single Justice Procedure"
    return "other legal intervention"


# --- payments and the end of the period (SI 2024/210; DOMAIN §5; reg 20) ---------------------
class PaymentFlag(StrEnum):
    NONE = ""
    UNDER = "under"  # less than the amount due on the day paid: not discharged
    OVER = "over"  # more than due: the difference is refunded
    LATE = "late"  # after the 28-day period: the notice cannot be paid any more; refund


@dataclass(frozen=True)
class PaymentAssessment:
    due_pence: int  # what was due on the day of the (last) payment
    discharged: bool  # paid in full within the period: the notice is paid
    flag: PaymentFlag


def payment_assessment(
    *,
    paid_on: date,
    total_pence: int,
    reduced_amount: int | None,
    full_amount: int,
    reduced_by: date | None,
    full_by: date,
) -> PaymentAssessment:
    """The reduced amount when paid by its deadline (receipt + 20 days), else the full
    amount by receipt + 27 days (SI 2024/210 reg 4; DOMAIN §5 "Payment periods"). Amounts
    are whole pounds; payments whole pence, so the comparison is exact."""
    if paid_on > full_by:
        return PaymentAssessment(full_amount * 100, False, PaymentFlag.LATE)
    due = reduced_amount if reduced_amount and reduced_by and paid_on <= reduced_by else full_amount
    due_pence = due * 100
    if total_pence < due_pence:
        return PaymentAssessment(due_pence, False, PaymentFlag.UNDER)
    flag = PaymentFlag.OVER if total_pence > due_pence else PaymentFlag.NONE
    return PaymentAssessment(due_pence, True, flag)


def period_ended_unpaid(*, today: date, full_by: date, discharged: bool) -> bool:
    """The 28-day period has ended (after its last day) without the notice being paid: the
    LA prosecutes the original offence (EA96 s.444) or withdraws (DOMAIN §5)."""
    return not discharged and today > full_by
