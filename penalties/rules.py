"""Penalty notices' pure rules (DOMAIN §5; SI 2007/1867 as amended by SI 2024/210): deemed
receipt, the notice-to-improve period and the public-place days. No ORM, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from schools.calendar import CalendarRangeError, SchoolCalendar, add_working_days

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
