"""Compulsory school age as pure functions (EA96 s.8, s.579; DOMAIN §3).

Judged per session: a rule that counts sessions counts only those on days inside
`compulsory_school_age_period(dob)` (`within`).
"""

from __future__ import annotations

from datetime import date
from typing import Final

from schools.calendar import anniversary, last_weekday_of_month

COMPULSORY_START_AGE: Final = 5  # EA96 s.8(2)
COMPULSORY_END_AGE: Final = 16  # EA96 s.8(3)
PRESCRIBED_DAYS: Final = ((3, 31), (8, 31), (12, 31))
SCHOOL_LEAVING_MONTH: Final = 6  # Education (School Leaving Date) Order 1997: last Friday in June
FRIDAY: Final = 4


# --- compulsory school age (EA96 s.8; DOMAIN §3) ---------------------------------------------
def compulsory_school_age_start(dob: date) -> date:
    """The first prescribed day (31 Mar, 31 Aug, 31 Dec) on or after the 5th birthday."""
    fifth = anniversary(dob, COMPULSORY_START_AGE)
    return min(
        day for month, dom in PRESCRIBED_DAYS if (day := date(fifth.year, month, dom)) >= fifth
    )


def school_leaving_date(year: int) -> date:
    """The last Friday in June (Education (School Leaving Date) Order 1997)."""
    return last_weekday_of_month(year, SCHOOL_LEAVING_MONTH, FRIDAY)


def compulsory_school_age_end(dob: date, *, school_year_start: date | None = None) -> date:
    """The last day of compulsory school age (EA96 s.8(3); DOMAIN §3).

    The school leaving date of the year the child turns 16 if the birthday is on or before
    it (s.8(3)(b),(c)) or after it but before the next school year begins (s.8(3)(a));
    otherwise the next year's. `school_year_start` is the first day of that next school
    year (the autumn term, EA96 s.579); by default 1 September, i.e. "16 by the end of the
    summer holidays", which keeps every Year 11 pupil (born Sept-Aug) leaving together.
    """
    sixteenth = anniversary(dob, COMPULSORY_END_AGE)
    leaving = school_leaving_date(sixteenth.year)
    next_year = school_year_start or date(sixteenth.year, 9, 1)
    if next_year.year != sixteenth.year:
        raise ValueError("school_year_start must fall in the year the child turns 16")
    if sixteenth <= leaving or sixteenth < next_year:
        return leaving
    return school_leaving_date(sixteenth.year + 1)


def is_compulsory_school_age(dob: date, on: date, *, school_year_start: date | None = None) -> bool:
    start = compulsory_school_age_start(dob)
    return start <= on <= compulsory_school_age_end(dob, school_year_start=school_year_start)


AgePeriod = tuple[date, date]  # first and last day of compulsory school age, inclusive


def compulsory_school_age_period(dob: date, *, school_year_start: date | None = None) -> AgePeriod:
    """The days a pupil is of compulsory school age, to judge each session (DOMAIN §3)."""
    return compulsory_school_age_start(dob), compulsory_school_age_end(
        dob, school_year_start=school_year_start
    )


def within(period: AgePeriod | None, d: date) -> bool:
    """A session on d counts: no period given (not judged), or d inside it (DOMAIN §3)."""
    return period is None or period[0] <= d <= period[1]
