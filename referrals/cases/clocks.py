"""The statutory clocks of casework, as pure functions over the one calendar
(`schools.calendar.SchoolCalendar`, England's bank holidays passed in). No ORM, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from fractions import Fraction
from typing import Final

from schools.calendar import CalendarRangeError, SchoolCalendar, add_working_days

CME_ENQUIRY_SCHOOL_DAYS: Final = 10  # KSAH §22-23: enquiries within 10 school days
PROVISION_DAY: Final = 6  # KSAH §19; DOMAIN §10: provision from the sixth school day
GOVERNORS_SHORT: Final = 15  # SI 2012/1033 reg 24: permanent, > 15 days a term, public exam
GOVERNORS_LONG: Final = 50  # reg 24: > 5 days a term with parents' representations
YEARLY_CAP: Final = 45  # DOMAIN §10: at most 45 school days of suspension a school year
YEARLY_CAP_WARNING: Final = 5  # warn when within 5 school days of the cap [our setting]
REVIEW_SCHOOL_DAYS: Final = 15  # independent review: 15 school days after notice is given
POSTAL_DEEMED_WORKING_DAYS: Final = 2  # notice by post deemed given on the 2nd working day


def school_days_from_sessions(sessions: int) -> Fraction:
    """Sessions missed as school days: two sessions a day; a lunchtime (one session) counts as
    half a day (KSAH §19; DOMAIN §10)."""
    return Fraction(sessions, 2)


def first_school_day(d: date, calendar: SchoolCalendar) -> date:
    return d if calendar.is_school_day(d) else calendar.add_school_days(d, 1)


def join_back_to_back(
    periods: Iterable[tuple[date, date]], calendar: SchoolCalendar
) -> list[tuple[date, date]]:
    """Suspensions served one after another as one period: a period joins the one before when
    it starts no later than the next school day after that one ends (DOMAIN §10)."""
    joined: list[tuple[date, date]] = []
    for start, end in sorted(periods):
        if joined:
            last_start, last_end = joined[-1]
            try:
                next_day = calendar.add_school_days(last_end, 1)
            except CalendarRangeError:
                next_day = last_end
            if start <= next_day:
                joined[-1] = (last_start, max(last_end, end))
                continue
        joined.append((start, end))
    return joined


def day_six(start: date, end: date | None, calendar: SchoolCalendar) -> date | None:
    """The sixth school day of an exclusion (day 1 its first school day), from which
    provision must be arranged; None when a suspension ends before it. `end` None: permanent."""
    try:
        sixth = calendar.add_school_days(first_school_day(start, calendar), PROVISION_DAY - 1)
    except CalendarRangeError:
        return None
    return None if end is not None and sixth > end else sixth


def governors_clock(
    *, permanent: bool, term_days: Fraction, public_exam: bool, representations: bool
) -> int | None:
    """How many school days the governors have to consider reinstatement (reg 24; DOMAIN
    §10): 15 for a permanent exclusion, more than 15 days in a term or a missed public exam;
    50 for more than 5 days in a term when the parents make representations; else None."""
    if permanent or term_days > GOVERNORS_SHORT or public_exam:
        return GOVERNORS_SHORT
    if term_days > 5 and representations:
        return GOVERNORS_LONG
    return None


def governors_deadline(notified_on: date, days: int, calendar: SchoolCalendar) -> date | None:
    """The last school day for the governors' meeting: the nth school day after notification."""
    try:
        return calendar.add_school_days(notified_on, days)
    except CalendarRangeError:
        return None


def yearly_cap_status(year_days: Fraction) -> str:
    """ "over", "reached", "nearing" or "" against the 45-day yearly cap (DOMAIN §10)."""
    if year_days > YEARLY_CAP:
        return "over"
    if year_days == YEARLY_CAP:
        return "reached"
    if year_days >= YEARLY_CAP - YEARLY_CAP_WARNING:
        return "nearing"
    return ""


def review_request_deadline(
    *,
    notice_on: date,
    by_post: bool,
    calendar: SchoolCalendar,
    bank_holidays: frozenset[date],
) -> date | None:
    """The last day to request an independent review: 15 school days after the parents are
    given notice in writing; postal notice is deemed given on the 2nd working day after
    posting (DOMAIN §10)."""
    given = (
        add_working_days(notice_on, POSTAL_DEEMED_WORKING_DAYS, bank_holidays)
        if by_post
        else notice_on
    )
    try:
        return calendar.add_school_days(given, REVIEW_SCHOOL_DAYS)
    except CalendarRangeError:
        return None


def cme_enquiries_due(received_on: date, calendar: SchoolCalendar) -> date | None:
    """Reading: the authority's enquiries are due within 10 school days of the referral's
    receipt (KSAH §22-23 gives the school 10 school days; the same clock runs for the LA)."""
    try:
        return calendar.add_school_days(received_on, CME_ENQUIRY_SCHOOL_DAYS)
    except CalendarRangeError:
        return None


def next_review(reviews: Sequence[date], today: date) -> date | None:
    """The next part-time timetable review on or after today (KSAH §18: regular reviews)."""
    upcoming = sorted(d for d in reviews if d >= today)
    return upcoming[0] if upcoming else None


C2_WITHOUT_TIMETABLE: Final = (
    "The register shows C2 but no part-time timetable is open for this pupil (KSAH §18)."
)
TIMETABLE_WITHOUT_C2: Final = (
    "A part-time timetable is open but the register shows no C2 in the most recent 20 school "
    "days: check the sessions not attended are coded C2 (KSAH §18)."
)


def part_time_c2_check(*, c2_sessions: int, timetable_open: bool, school_days: int) -> str:
    """The register and the part-time register should agree (KSAH §18: C2 for the sessions
    not attended); an empty text when they do, or when the register holds too little."""
    if c2_sessions and not timetable_open:
        return C2_WITHOUT_TIMETABLE
    if timetable_open and not c2_sessions and school_days >= 20:
        return TIMETABLE_WITHOUT_C2
    return ""
