"""Which periods a certificate may cover, and the one offered by default."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Final

from schools.calendar import SchoolCalendar, academic_year_bounds, academic_year_of, anniversary

MAX_PERIOD_YEARS: Final = 2  # the longest period one certificate covers (two school years)

# Why a period cannot be certified (GOV.UK date input error texts; tests import these).
START_IN_FUTURE: Final = "Start date must be today or in the past"
END_IN_FUTURE: Final = "End date must be today or in the past"
END_BEFORE_START: Final = "End date must be the same as or after the start date"
START_BEFORE_ENROLMENT: Final = (
    "Start date must be on or after {date}, when the pupil joined the school"
)
END_AFTER_ENROLMENT: Final = "End date must be on or before {date}, when the pupil left the school"
PERIOD_TOO_LONG: Final = "End date must be less than 2 years after the start date"


def period_problems(
    start: date, end: date, *, today: date, enrolments: Sequence[tuple[date, date | None]]
) -> dict[str, str]:
    """Why a period cannot be certified, by field ('start' or 'end'); empty if it can."""
    problems: dict[str, str] = {}
    first_start = min(s for s, _ in enrolments)
    last_end = _last_day_on_roll(enrolments)
    if start > today:
        problems["start"] = START_IN_FUTURE
    elif start < first_start:
        problems["start"] = START_BEFORE_ENROLMENT.format(date=long_date(first_start))
    if end > today:
        problems["end"] = END_IN_FUTURE
    elif end < start:
        problems["end"] = END_BEFORE_START
    elif last_end is not None and end > last_end:
        problems["end"] = END_AFTER_ENROLMENT.format(date=long_date(last_end))
    elif end >= anniversary(start, MAX_PERIOD_YEARS):
        problems["end"] = PERIOD_TOO_LONG
    return problems


def _last_day_on_roll(enrolments: Sequence[tuple[date, date | None]]) -> date | None:
    """The pupil's last day on roll, or None while they are still on roll."""
    ends = [end for _, end in enrolments]
    if any(end is None for end in ends):
        return None
    return max(end for end in ends if end is not None)


def default_period(
    *, today: date, enrolments: Sequence[tuple[date, date | None]], calendar: SchoolCalendar
) -> tuple[date, date]:
    """The school year to date: from its first school day (or the pupil's first day, if later)
    to today (or the pupil's last day). For a pupil who has left, their last school year."""
    first_start = min(s for s, _ in enrolments)
    last_end = _last_day_on_roll(enrolments)
    end = today if last_end is None else min(today, last_end)
    year_start, year_end = academic_year_bounds(academic_year_of(end))
    days = calendar.school_days_between(year_start, year_end)
    start = days[0] if days and days[0] <= end else year_start
    return max(start, first_start), end


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
