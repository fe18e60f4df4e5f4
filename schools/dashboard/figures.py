"""A school's figures: rates of sessions and of pupils, periods, weeks and cohorts
(KSAH §25; DOMAIN §2, §4).

- rates are of possible sessions, as the DfE counts them, over every pupil on the school's
  register in the year (leavers included); PA and SA rates are of pupils with at least one
  possible session;
- **at risk of persistent absence** (KSAH §25: "pupils at risk of persistent absence"):
  not persistently absent, and either year-to-date attendance within 2 percentage points of
  the PA line (absence of 8% or more) or 10% or more of the last 4 school weeks missed;
- the **last 4 weeks** are the last 4 school weeks (weeks the school met, DOMAIN §5) up to
  the last day with register marks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

import numpy as np
import numpy.typing as npt

from schools.calendar import week_monday
from schools.code_tables import CATEGORY_INDEX
from schools.codes import CATEGORIES, Category
from schools.dashboard.school_year import (
    CHARACTERISTICS,
    SchoolYear,
    school_year_load,
    year_group_label,
    year_group_order,
)
from schools.models import School
from schools.register_arrays import (
    CategoryCounts,
    category_counts,
    slot_of,
)
from schools.rules import (
    AM,
    PERSISTENT_ABSENCE_DENOMINATOR,
    PM,
)

BoolArray = npt.NDArray[np.bool_]

AT_RISK_ABSENCE_PERCENT: Final = 8  # within 2 percentage points of PA (10%); KSAH §25
RECENT_SCHOOL_WEEKS: Final = 4
_ATTENDANCE_CATEGORIES: Final = (
    CATEGORIES.index(Category.PRESENT),
    CATEGORIES.index(Category.APPROVED_ACTIVITY),
)
_AUTHORISED: Final = CATEGORIES.index(Category.AUTHORISED)
_UNAUTHORISED: Final = CATEGORIES.index(Category.UNAUTHORISED)


def percent(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100 * part / whole


# --- periods and rates ----------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Period:
    """Per-pupil session counts over first_day..last_day."""

    first_day: date
    last_day: date
    counts: CategoryCounts


def year_to_date(data: SchoolYear) -> Period | None:
    if data.data_date is None:
        return None
    first = data.calendar.first_day or data.year_start
    first = max(min(first, data.data_date), data.year_start)
    return Period(first, data.data_date, category_counts(data.codes, as_of_slot=data.last_slot))


def _week_mondays(data: SchoolYear, weeks: int) -> list[date]:
    """The Mondays of the school weeks up to the data date (DOMAIN §5: weeks the school met);
    with no term dates known, the last `weeks` plain Monday-Sunday weeks."""
    assert data.data_date is not None
    mondays = data.calendar.school_week_mondays_between(data.year_start, data.data_date)
    if not mondays:
        mondays = [week_monday(data.data_date) - timedelta(weeks=n) for n in range(weeks)][::-1]
    return mondays


def recent_weeks(data: SchoolYear, weeks: int = RECENT_SCHOOL_WEEKS) -> Period | None:
    """The last `weeks` school weeks up to the data date (the current week included)."""
    if data.data_date is None:
        return None
    first = max(_week_mondays(data, weeks)[-weeks:][0], data.year_start)
    from_slot = slot_of(first, AM, data.year_start)
    counts = category_counts(data.codes, as_of_slot=data.last_slot, from_slot=from_slot)
    school_days = data.calendar.school_days_between(first, data.data_date)
    return Period(school_days[0] if school_days else first, data.data_date, counts)


def prior_weeks(data: SchoolYear, weeks: int = RECENT_SCHOOL_WEEKS) -> Period | None:
    """The `weeks` school weeks before the last `weeks` (`recent_weeks`): what the officer's
    trend compares them with (docs/dashboards.md). Fewer early in the year; None when the
    year has no school week before the recent ones."""
    if data.data_date is None:
        return None
    mondays = _week_mondays(data, 2 * weeks)
    before = mondays[-2 * weeks : -weeks]
    if len(mondays) <= weeks or not before:
        return None
    first = max(before[0], data.year_start)
    recent_first = max(mondays[-weeks], data.year_start)
    if recent_first <= first:
        return None
    last = recent_first - timedelta(days=1)
    counts = category_counts(
        data.codes,
        as_of_slot=slot_of(last, PM, data.year_start),
        from_slot=slot_of(first, AM, data.year_start),
    )
    school_days = data.calendar.school_days_between(first, last)
    return Period(
        school_days[0] if school_days else first,
        school_days[-1] if school_days else last,
        counts,
    )


@dataclass(frozen=True, kw_only=True)
class Rates:
    """Sessions and their rates, as the DfE counts them: of possible sessions. The one type
    for rates: a week, a period of a pupil's record, a pupil on a list and a group all are
    `Rates`, so each rate is worked out in one place."""

    possible: int
    attendance: int  # present or approved educational activity
    authorised: int
    unauthorised: int

    @property
    def absence(self) -> int:
        return self.authorised + self.unauthorised

    @property
    def attendance_rate(self) -> float | None:
        return percent(self.attendance, self.possible)

    @property
    def absence_rate(self) -> float | None:
        return percent(self.absence, self.possible)

    @property
    def authorised_rate(self) -> float | None:
        return percent(self.authorised, self.possible)

    @property
    def unauthorised_rate(self) -> float | None:
        return percent(self.unauthorised, self.possible)


@dataclass(frozen=True, kw_only=True)
class GroupRates(Rates):
    """A group's rates, with the pupils who are persistently/severely absent."""

    pupils: int  # pupils with at least one possible session
    persistent_absentees: int
    severe_absentees: int

    @property
    def persistent_absence_rate(self) -> float | None:
        return percent(self.persistent_absentees, self.pupils)

    @property
    def severe_absence_rate(self) -> float | None:
        return percent(self.severe_absentees, self.pupils)


def rates_of(counts: CategoryCounts, mask: BoolArray | None = None) -> GroupRates:
    def total(values: npt.NDArray[np.int32] | BoolArray) -> int:
        return int(values.sum() if mask is None else values[mask].sum())

    return GroupRates(
        pupils=total(counts.possible > 0),
        possible=total(counts.possible),
        attendance=total(counts.attendance),
        authorised=total(counts.authorised),
        unauthorised=total(counts.unauthorised),
        persistent_absentees=total(counts.persistent_absence),
        severe_absentees=total(counts.severe_absence),
    )


def at_risk_of_persistent_absence(year: CategoryCounts, recent: CategoryCounts) -> BoolArray:
    """Not PA, and year-to-date absence of 8% or more or recent absence of 10% or more."""
    near_line = (year.possible > 0) & (
        year.absence * 100 >= AT_RISK_ABSENCE_PERCENT * year.possible
    )
    slipping = (recent.possible > 0) & (
        recent.absence * PERSISTENT_ABSENCE_DENOMINATOR >= recent.possible
    )
    return ~year.persistent_absence & (near_line | slipping)


# --- the school's attendance, computed once per request ------------------------------------
@dataclass(frozen=True, eq=False)
class SchoolAttendance:
    data: SchoolYear
    year: Period | None
    recent: Period | None
    at_risk: BoolArray

    @property
    def has_marks(self) -> bool:
        return self.year is not None

    @property
    def on_roll(self) -> BoolArray:
        return np.fromiter(
            (p.on_roll for p in self.data.pupils), dtype=bool, count=len(self.data.pupils)
        )


def school_attendance(school: School, *, as_of: date) -> SchoolAttendance:
    data = school_year_load(school, as_of=as_of)
    year, recent = year_to_date(data), recent_weeks(data)
    if year is None or recent is None:
        return SchoolAttendance(data, None, None, np.zeros(len(data.pupils), dtype=bool))
    return SchoolAttendance(
        data, year, recent, at_risk_of_persistent_absence(year.counts, recent.counts)
    )


# --- weekly trend ---------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class WeekFigures(Rates):
    monday: date
    first_day: date
    last_day: date


def weekly_figures(data: SchoolYear, mask: BoolArray | None = None) -> list[WeekFigures]:
    """Whole-school sessions (of the pupils in `mask`, if given) per Monday-Sunday week in
    which any session was possible."""
    stop = data.last_slot + 1
    if stop <= 0 or not data.pupils:
        return []
    codes = data.codes if mask is None else data.codes[mask]
    categories = CATEGORY_INDEX[codes[:, :stop]]
    attendance = np.zeros(stop, dtype=np.int64)
    for index in _ATTENDANCE_CATEGORIES:
        attendance += (categories == index).sum(axis=0)
    authorised = (categories == _AUTHORISED).sum(axis=0)
    unauthorised = (categories == _UNAUTHORISED).sum(axis=0)
    ordinals = data.year_start.toordinal() + np.arange(stop) // 2
    mondays = ordinals - (ordinals - 1) % 7  # date.fromordinal(1) is a Monday
    weeks, week_of_slot = np.unique(mondays, return_inverse=True)

    def per_week(values: npt.NDArray[np.int64]) -> list[int]:
        return (
            np.bincount(week_of_slot, weights=values, minlength=weeks.size)
            .astype(np.int64)
            .tolist()
        )

    att, auth, unauth = per_week(attendance), per_week(authorised), per_week(unauthorised)
    figures = []
    for i, monday_ordinal in enumerate(weeks.tolist()):
        possible = att[i] + auth[i] + unauth[i]
        if possible == 0:
            continue
        monday = date.fromordinal(monday_ordinal)
        days = data.calendar.school_days_between(
            monday, min(monday + timedelta(days=6), data.data_date or monday)
        )
        figures.append(
            WeekFigures(
                monday=monday,
                first_day=days[0] if days else monday,
                last_day=days[-1] if days else monday,
                possible=possible,
                attendance=att[i],
                authorised=auth[i],
                unauthorised=unauth[i],
            )
        )
    return figures


# --- cohorts ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CohortFigures:
    key: str
    label: str
    rates: GroupRates
    whole_school: GroupRates

    @property
    def attendance_difference(self) -> float | None:
        """Percentage points above (+) or below (-) the whole school."""
        own, whole = self.rates.attendance_rate, self.whole_school.attendance_rate
        return None if own is None or whole is None else own - whole


def characteristic_cohorts(attendance: SchoolAttendance) -> list[CohortFigures]:
    if attendance.year is None:
        return []
    counts = attendance.year.counts
    whole = rates_of(counts)
    return [
        CohortFigures(c.key, c.label, rates_of(counts, attendance.data.flag(c.key)), whole)
        for c in CHARACTERISTICS
    ]


def year_group_cohorts(attendance: SchoolAttendance) -> list[CohortFigures]:
    if attendance.year is None:
        return []
    counts = attendance.year.counts
    whole = rates_of(counts)
    groups = np.array([p.year_group for p in attendance.data.pupils], dtype=object)
    return [
        CohortFigures(group, year_group_label(group), rates_of(counts, groups == group), whole)
        for group in sorted(set(groups.tolist()), key=year_group_order)
    ]
