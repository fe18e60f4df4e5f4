"""The reports' pure rules: the spring census day and when a school's deletion pattern stands
out against the county's (docs/returns.md "Reports"). No ORM, no clock."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

# [LA settings] RETURNS_STANDOUT_FACTOR and RETURNS_STANDOUT_MINIMUM (Kent defaults).
STANDOUT_FACTOR: Final = 2.0  # a school's rate above twice the county's
STANDOUT_MINIMUM: Final = 2  # and at least this many deletions (one is never a pattern)
THURSDAY: Final = 3


def spring_census_day(academic_year: int) -> date:
    """The DfE's spring school census day: the third Thursday of January of the school
    year's second calendar year (2025/26: 15 January 2026)."""
    first = date(academic_year + 1, 1, 1)
    first_thursday = first + timedelta(days=(THURSDAY - first.weekday()) % 7)
    return first_thursday + timedelta(weeks=2)


def rate(count: int, roll: int) -> float | None:
    return count / roll if roll else None


def stands_out(
    *,
    count: int,
    roll: int,
    county_count: int,
    county_roll: int,
    factor: float = STANDOUT_FACTOR,
    minimum: int = STANDOUT_MINIMUM,
) -> bool:
    """A school stands out when it deleted at least `minimum` pupils and its rate (deletions
    per pupil on roll) is more than `factor` times the county's rate (all schools together,
    this school included)."""
    school_rate, county_rate = rate(count, roll), rate(county_count, county_roll)
    if school_rate is None or county_rate is None or count < minimum:
        return False
    return school_rate > factor * county_rate
