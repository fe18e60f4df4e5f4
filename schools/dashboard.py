"""A school's attendance picture: the dashboard, pupil lists and N codes (KSAH §13, §25).

Read side only. One school-year is loaded with a fixed handful of queries — the year with
projections, the pupils and their enrolments, the code arrays, the term dates — and every
figure is then NumPy over the (pupils x slots) code array of `PupilYearRegister`. Nothing
here runs a query per pupil. Callers pass a school they got from `school_get_for`.

Definitions (DOMAIN §2, §4):
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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Final, NamedTuple, cast

import numpy as np
import numpy.typing as npt
from django.db import connection
from django.db.models import BooleanField, Max
from django.db.models.expressions import RawSQL

from schools.calendar import (
    CalendarRangeError,
    SchoolCalendar,
    academic_year_bounds,
    academic_year_label,
    academic_year_of,
    week_monday,
)
from schools.codes import CATEGORIES, CATEGORY_INDEX, IS_N, Category
from schools.evaluation import closure_days
from schools.models import Alert, Enrolment, Pupil, PupilYearRegister, School
from schools.national_figures import Benchmark, benchmark_for
from schools.register_arrays import (
    SLOTS_PER_YEAR,
    CategoryCounts,
    category_counts,
    slot_of,
)
from schools.rules import (
    AM,
    PERSISTENT_ABSENCE_DENOMINATOR,
    PM,
    is_compulsory_school_age,
    n_code_due,
)
from schools.school_calendar import calendar_for_school

Codes = npt.NDArray[np.uint8]
BoolArray = npt.NDArray[np.bool_]

AT_RISK_ABSENCE_PERCENT: Final = 8  # within 2 percentage points of PA (10%); KSAH §25
RECENT_SCHOOL_WEEKS: Final = 4
SUMMARY_ROWS: Final = 10  # rows of each list shown on the dashboard itself


@dataclass(frozen=True)
class Characteristic:
    key: str  # the Pupil field
    label: str
    short: str


# Cohorts schools analyse (KSAH §25; DOMAIN §4), in the order pages show them.
CHARACTERISTICS: Final[tuple[Characteristic, ...]] = (
    Characteristic("fsm", "Free school meals", "FSM"),
    Characteristic("sen_support", "SEN support", "SEN support"),
    Characteristic("ehcp", "Education, health and care plan", "EHCP"),
    Characteristic("eal", "English as an additional language", "EAL"),
    Characteristic("child_in_care", "Child in care", "CiC"),
    Characteristic("social_worker", "Has or had a social worker", "Social worker"),
    Characteristic("grt", "Gypsy, Roma or Traveller", "GRT"),
)
CHARACTERISTIC_KEYS: Final = tuple(c.key for c in CHARACTERISTICS)
_ATTENDANCE_CATEGORIES: Final = (
    CATEGORIES.index(Category.PRESENT),
    CATEGORIES.index(Category.APPROVED_ACTIVITY),
)
_AUTHORISED: Final = CATEGORIES.index(Category.AUTHORISED)
_UNAUTHORISED: Final = CATEGORIES.index(Category.UNAUTHORISED)


def year_group_order(year_group: str) -> tuple[int, str]:
    """Nursery, reception, then years 1-14 in number order; anything else last."""
    named = {"N1": -3, "N2": -2, "N": -2, "R": 0}
    if year_group in named:
        return named[year_group], year_group
    if year_group.isdigit():
        return int(year_group), year_group
    return 99, year_group


def year_group_label(year_group: str) -> str:
    if not year_group:
        return "Year group not recorded"
    if year_group == "R":
        return "Reception"
    if year_group.startswith("N"):
        return f"Nursery {year_group[1:]}".strip()
    return f"Year {year_group}"


def percent(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100 * part / whole


# --- loading one school-year ---------------------------------------------------------------
class PupilInfo(NamedTuple):
    """A pupil as the lists show them; row i of the school-year's code array. A tuple:
    a school's 1,500 are built on every page view."""

    pupil_id: int
    upn: str
    forename: str
    surname: str
    year_group: str
    date_of_birth: date
    flag_values: tuple[bool, ...]  # in the order of CHARACTERISTIC_KEYS
    on_roll: bool
    left_on: date | None

    @property
    def flags(self) -> frozenset[str]:
        return frozenset(k for k, v in zip(CHARACTERISTIC_KEYS, self.flag_values, strict=True) if v)

    @property
    def name(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def sort_name(self) -> tuple[str, str]:
        return self.surname.lower(), self.forename.lower()

    @property
    def characteristics(self) -> list[Characteristic]:
        return [c for c, v in zip(CHARACTERISTICS, self.flag_values, strict=True) if v]


@dataclass(frozen=True, eq=False)
class SchoolYear:
    """One school's register for one school year, up to `as_of`."""

    school: School
    year: int
    as_of: date  # figures count up to this day (never past the year's end)
    data_date: date | None  # the last day with any register mark, on or before as_of
    calendar: SchoolCalendar
    pupils: list[PupilInfo]
    codes: Codes  # len(pupils) x SLOTS_PER_YEAR
    flag_matrix: BoolArray  # len(pupils) x len(CHARACTERISTIC_KEYS)

    @property
    def label(self) -> str:
        return academic_year_label(self.year)

    @property
    def year_start(self) -> date:
        return academic_year_bounds(self.year)[0]

    @property
    def last_slot(self) -> int:
        """The PM slot of the data date; -1 when there are no marks yet."""
        return -1 if self.data_date is None else slot_of(self.data_date, PM, self.year_start)

    @property
    def is_current_year(self) -> bool:
        return self.year == academic_year_of(self.as_of)

    def flag(self, key: str) -> BoolArray:
        return self.flag_matrix[:, CHARACTERISTIC_KEYS.index(key)]


def data_year(school: School, as_of: date) -> int:
    """The school year to show: as_of's, or the latest earlier one with register data
    (in August, before the new year's first marks, last year's figures are the useful ones)."""
    requested = academic_year_of(as_of)
    latest = PupilYearRegister.objects.filter(
        school=school, academic_year__lte=requested
    ).aggregate(latest=Max("academic_year"))["latest"]
    return requested if latest is None else int(latest)


_PUPIL_FIELDS: Final = (
    "id",
    "upn",
    "forename",
    "surname",
    "preferred_forename",
    "preferred_surname",
    "date_of_birth",
    *CHARACTERISTIC_KEYS,
)


def _enrolled(school: School, first: date, last: date) -> list[tuple[int, str, date | None]]:
    """(pupil id, year group, end date) of each pupil on the school's register at any time
    from first to last, from their latest enrolment there."""
    rows = (
        Enrolment.objects.filter(school=school, start_date__lte=last)
        .exclude(end_date__lt=first)
        .order_by("pupil_id", "start_date")
        .values_list("pupil_id", "year_group", "end_date")
    )
    latest: dict[int, tuple[int, str, date | None]] = {}
    for row in rows:
        latest[row[0]] = row  # ordered by start date: the last one wins
    return list(latest.values())


def _pupil_details(pupil_ids: list[int]) -> dict[int, tuple[object, ...]]:
    """The pupils' names and characteristics. By primary key rather than joined to the
    enrolments: PostgreSQL would hash-join a whole county's pupils for one school."""
    if not pupil_ids:
        return {}
    pupils = Pupil.objects.all()
    if connection.vendor == "postgresql":  # one array parameter, not 1,500 placeholders
        pupils = pupils.filter(
            RawSQL('"schools_pupil"."id" = ANY(%s)', (pupil_ids,), output_field=BooleanField())
        )
    else:
        pupils = pupils.filter(pk__in=pupil_ids)
    return {row[0]: row for row in pupils.values_list(*_PUPIL_FIELDS)}


def _codes(school: School, year: int, pupil_ids: list[int]) -> Codes:
    """The pupils' code arrays, in order; one query over the school-year's projections."""
    order = {pupil_id: i for i, pupil_id in enumerate(pupil_ids)}
    codes = np.zeros((len(pupil_ids), SLOTS_PER_YEAR), dtype=np.uint8)
    rows = PupilYearRegister.objects.filter(school=school, academic_year=year).values_list(
        "pupil_id", "codes"
    )
    for pupil_id, raw in rows:  # one fetch: ~1 MB for 1,500 pupils
        row = order.get(pupil_id)
        if row is not None:
            codes[row] = np.frombuffer(raw, dtype=np.uint8)
    return codes


def school_year_load(school: School, *, as_of: date) -> SchoolYear:
    year = data_year(school, as_of)
    year_start, year_end = academic_year_bounds(year)
    as_of = min(as_of, year_end)
    enrolled = _enrolled(school, year_start, as_of)
    details = _pupil_details([pupil_id for pupil_id, _, _ in enrolled])
    enrolled = [row for row in enrolled if row[0] in details]
    pupil_ids = [pupil_id for pupil_id, _, _ in enrolled]
    codes = _codes(school, year, pupil_ids)
    as_of_slot = slot_of(as_of, PM, year_start)
    marked = np.flatnonzero(codes[:, : as_of_slot + 1].any(axis=0))
    data_date = None if marked.size == 0 else year_start + timedelta(days=int(marked[-1]) // 2)
    on = data_date or as_of
    pupils = []
    for pupil_id, year_group, end in enrolled:
        _, upn, forename, surname, pref_fore, pref_sur, born, *flags = details[pupil_id]
        pupils.append(
            PupilInfo(
                pupil_id,
                str(upn),
                str(pref_fore or forename),
                str(pref_sur or surname),
                year_group or "",
                cast(date, born),
                tuple(flags),  # type: ignore[arg-type]
                end is None or end >= on,
                end if end is not None and end < on else None,
            )
        )
    flag_matrix = np.array([p.flag_values for p in pupils], dtype=bool).reshape(
        len(pupils), len(CHARACTERISTIC_KEYS)
    )
    # Whole-school closures (# / Y4) are not school days (DOMAIN §13), as in the evaluation.
    calendar = calendar_for_school(school.pk, [year]).excluding(closure_days(codes, year_start))
    return SchoolYear(school, year, as_of, data_date, calendar, pupils, codes, flag_matrix)


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


def recent_weeks(data: SchoolYear, weeks: int = RECENT_SCHOOL_WEEKS) -> Period | None:
    """The last `weeks` school weeks up to the data date (the current week included)."""
    if data.data_date is None:
        return None
    mondays = data.calendar.school_week_mondays_between(data.year_start, data.data_date)
    if not mondays:  # no term dates known: plain Monday-Sunday weeks
        mondays = [week_monday(data.data_date) - timedelta(weeks=n) for n in range(weeks)][::-1]
    first = max(mondays[-weeks:][0], data.year_start)
    from_slot = slot_of(first, AM, data.year_start)
    counts = category_counts(data.codes, as_of_slot=data.last_slot, from_slot=from_slot)
    school_days = data.calendar.school_days_between(first, data.data_date)
    return Period(school_days[0] if school_days else first, data.data_date, counts)


@dataclass(frozen=True)
class Rates:
    """Whole-group figures: sessions, and pupils who are persistently/severely absent."""

    pupils: int  # pupils with at least one possible session
    possible: int
    attendance: int
    authorised: int
    unauthorised: int
    persistent_absentees: int
    severe_absentees: int

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

    @property
    def persistent_absence_rate(self) -> float | None:
        return percent(self.persistent_absentees, self.pupils)

    @property
    def severe_absence_rate(self) -> float | None:
        return percent(self.severe_absentees, self.pupils)


def rates_of(counts: CategoryCounts, mask: BoolArray | None = None) -> Rates:
    def total(values: npt.NDArray[np.int32] | BoolArray) -> int:
        return int(values.sum() if mask is None else values[mask].sum())

    return Rates(
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
@dataclass(frozen=True)
class WeekFigures:
    monday: date
    first_day: date
    last_day: date
    possible: int
    attendance: int
    authorised: int
    unauthorised: int

    @property
    def attendance_rate(self) -> float | None:
        return percent(self.attendance, self.possible)

    @property
    def authorised_rate(self) -> float | None:
        return percent(self.authorised, self.possible)

    @property
    def unauthorised_rate(self) -> float | None:
        return percent(self.unauthorised, self.possible)


def weekly_figures(data: SchoolYear) -> list[WeekFigures]:
    """Whole-school sessions per Monday-Sunday week in which any session was possible."""
    stop = data.last_slot + 1
    if stop <= 0 or not data.pupils:
        return []
    categories = CATEGORY_INDEX[data.codes[:, :stop]]
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
    rates: Rates
    whole_school: Rates

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


# --- pupils: figures, groups, filters and sorting ---------------------------------------------
class PupilGroup(StrEnum):
    ALL = "all"
    SEVERE = "severe"
    PERSISTENT = "persistent"
    AT_RISK = "at-risk"
    THRESHOLD = "threshold"


GROUP_LABELS: Final[dict[PupilGroup, str]] = {
    PupilGroup.ALL: "All pupils on roll",
    PupilGroup.SEVERE: "Severely absent",
    PupilGroup.PERSISTENT: "Persistently absent",
    PupilGroup.AT_RISK: "At risk of persistent absence",
    PupilGroup.THRESHOLD: "Met the penalty notice threshold",
}
GROUP_DESCRIPTIONS: Final[dict[PupilGroup, str]] = {
    PupilGroup.ALL: "",
    PupilGroup.SEVERE: "Pupils who have missed 50% or more of their possible sessions this year.",
    PupilGroup.PERSISTENT: (
        "Pupils who have missed 10% or more of their possible sessions this year, severely "
        "absent pupils included."
    ),
    PupilGroup.AT_RISK: (
        "Pupils not yet persistently absent whose attendance this year is 92% or below, or "
        "who missed 10% or more of the last 4 school weeks."
    ),
    PupilGroup.THRESHOLD: (
        "Pupils with 10 or more sessions of unauthorised absence within 10 school weeks this "
        "year: the school must consider a penalty notice."
    ),
}
NUMERIC_SORTS: Final = frozenset({"attendance", "absence", "unauthorised", "recent"})


@dataclass(frozen=True)
class PupilFigures:
    """One pupil's year to date and last 4 school weeks, as list pages show them."""

    pupil: PupilInfo
    possible: int
    attendance: int
    authorised: int
    unauthorised: int
    recent_possible: int
    recent_attendance: int
    persistent_absence: bool
    severe_absence: bool
    at_risk: bool
    threshold_met_on: date | None = None
    threshold_sessions: int | None = None

    @property
    def compulsory_when_threshold_met(self) -> bool | None:
        """A penalty notice needs the pupil of compulsory school age (DOMAIN §5)."""
        if self.threshold_met_on is None:
            return None
        return is_compulsory_school_age(self.pupil.date_of_birth, self.threshold_met_on)

    @property
    def absence(self) -> int:
        return self.authorised + self.unauthorised

    @property
    def attendance_rate(self) -> float | None:
        return percent(self.attendance, self.possible)

    @property
    def recent_rate(self) -> float | None:
        return percent(self.recent_attendance, self.recent_possible)


@dataclass(frozen=True)
class ThresholdMet:
    pupil_id: int
    met_on: date
    sessions: int | None
    window_start: date | None


def threshold_alerts(data: SchoolYear) -> dict[int, ThresholdMet]:
    """The latest penalty-threshold alert of each pupil this school year (one query)."""
    found: dict[int, ThresholdMet] = {}
    rows = (
        Alert.objects.filter(
            school=data.school, academic_year=data.year, kind=Alert.Kind.PENALTY_THRESHOLD
        )
        .order_by("raised_on")
        .values_list("pupil_id", "raised_on", "details")
    )
    for pupil_id, raised_on, details in rows:
        details = details or {}
        met_on = _date(details.get("met_on")) or raised_on
        window = _date(details.get("window_start"))
        sessions = details.get("sessions")
        found[pupil_id] = ThresholdMet(
            pupil_id, met_on, int(sessions) if sessions else None, window
        )
    return found


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


SORTS: Final[dict[str, tuple[str, Callable[[PupilFigures], object]]]] = {
    "name": ("Name", lambda f: f.pupil.sort_name),
    "year": ("Year group", lambda f: (year_group_order(f.pupil.year_group), f.pupil.sort_name)),
    "attendance": (
        "Attendance",
        lambda f: (
            f.attendance_rate if f.attendance_rate is not None else 101.0,
            f.pupil.sort_name,
        ),
    ),
    "absence": ("Sessions missed", lambda f: (f.absence, f.pupil.sort_name)),
    "unauthorised": ("Unauthorised", lambda f: (f.unauthorised, f.pupil.sort_name)),
    "recent": (
        "Last 4 weeks",
        lambda f: (f.recent_rate if f.recent_rate is not None else 101.0, f.pupil.sort_name),
    ),
    "threshold": (
        "Met threshold on",
        lambda f: (f.threshold_met_on or date.min, f.pupil.sort_name),
    ),
}
DEFAULT_SORT: Final = "attendance"


@dataclass(frozen=True)
class PupilFilters:
    group: PupilGroup = PupilGroup.ALL
    year_group: str = ""
    characteristics: tuple[str, ...] = ()  # pupils with all of these
    without_characteristics: tuple[str, ...] = ()  # and none of these
    search: str = ""
    sort: str = DEFAULT_SORT
    descending: bool = False
    include_leavers: bool = False
    # True: only pupils who are; False: only pupils who are not; None: either.
    persistent: bool | None = None
    severe: bool | None = None
    at_risk: bool | None = None


def pupil_figures(
    attendance: SchoolAttendance,
    filters: PupilFilters = PupilFilters(),
    *,
    thresholds: dict[int, ThresholdMet] | None = None,
) -> list[PupilFigures]:
    """The pupils matching the filters, sorted. `thresholds` from `threshold_alerts`."""
    data = attendance.data
    if attendance.year is None or attendance.recent is None:
        return []
    year, recent = attendance.year.counts, attendance.recent.counts
    keep = np.ones(len(data.pupils), dtype=bool)
    if not filters.include_leavers:
        keep &= attendance.on_roll
    group = filters.group
    if group == PupilGroup.SEVERE:
        keep &= year.severe_absence
    elif group == PupilGroup.PERSISTENT:
        keep &= year.persistent_absence
    elif group == PupilGroup.AT_RISK:
        keep &= attendance.at_risk
    elif group == PupilGroup.THRESHOLD:
        met_ids = set((thresholds or {}).keys())
        keep &= np.fromiter(
            (p.pupil_id in met_ids for p in data.pupils), dtype=bool, count=len(data.pupils)
        )
    for key in filters.characteristics:
        keep &= data.flag(key)
    for key in filters.without_characteristics:
        keep &= ~data.flag(key)
    for wanted, flags in (
        (filters.persistent, year.persistent_absence),
        (filters.severe, year.severe_absence),
        (filters.at_risk, attendance.at_risk),
    ):
        if wanted is not None:
            keep &= flags if wanted else ~flags
    search = filters.search.strip().lower()
    rows = []
    for i in np.flatnonzero(keep).tolist():
        pupil = data.pupils[i]
        if filters.year_group and pupil.year_group != filters.year_group:
            continue
        if search and search not in pupil.name.lower() and search not in pupil.upn.lower():
            continue
        met = (thresholds or {}).get(pupil.pupil_id)
        rows.append(
            PupilFigures(
                pupil=pupil,
                possible=int(year.possible[i]),
                attendance=int(year.attendance[i]),
                authorised=int(year.authorised[i]),
                unauthorised=int(year.unauthorised[i]),
                recent_possible=int(recent.possible[i]),
                recent_attendance=int(recent.attendance[i]),
                persistent_absence=bool(year.persistent_absence[i]),
                severe_absence=bool(year.severe_absence[i]),
                at_risk=bool(attendance.at_risk[i]),
                threshold_met_on=met.met_on if met else None,
                threshold_sessions=met.sessions if met else None,
            )
        )
    sort_key = SORTS.get(filters.sort, SORTS[DEFAULT_SORT])[1]
    rows.sort(key=sort_key, reverse=filters.descending)  # type: ignore[arg-type]
    return rows


def year_groups_of(data: SchoolYear) -> list[str]:
    return sorted({p.year_group for p in data.pupils if p.year_group}, key=year_group_order)


# --- N codes awaiting a reason (KSAH §13, §17) ---------------------------------------------------
@dataclass(frozen=True)
class NCodeAwaiting:
    pupil: PupilInfo
    day: date
    session: str  # "AM" / "PM"
    due: date | None  # the 5th school day after; None if the calendar does not reach it
    overdue_school_days: int  # school days since the due date passed; 0 if not overdue

    @property
    def overdue(self) -> bool:
        return self.overdue_school_days > 0


def n_codes_awaiting(data: SchoolYear) -> list[NCodeAwaiting]:
    """Every session still coded N on the register, oldest first (pupils on roll or not)."""
    if data.last_slot < 0:
        return []
    rows, slots = np.nonzero(IS_N[data.codes[:, : data.last_slot + 1]])
    due_by_day: dict[date, date | None] = {}
    found = []
    for row, slot in sorted(
        zip(rows.tolist(), slots.tolist(), strict=True),
        key=lambda item: (item[1], data.pupils[item[0]].sort_name),
    ):
        day = data.year_start + timedelta(days=slot // 2)
        if day not in due_by_day:
            try:
                due_by_day[day] = n_code_due(data.calendar, day)
            except CalendarRangeError:
                due_by_day[day] = None
        due = due_by_day[day]
        overdue = 0
        if due is not None and data.as_of > due:
            overdue = data.calendar.count_school_days(due + timedelta(days=1), data.as_of)
            overdue = max(overdue, 1)  # past the due date, even if no school day since
        found.append(
            NCodeAwaiting(data.pupils[row], day, "AM" if slot % 2 == 0 else "PM", due, overdue)
        )
    return found


# --- the dashboard --------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Dashboard:
    attendance: SchoolAttendance
    benchmark: Benchmark
    year_to_date: Rates | None
    last_four_weeks: Rates | None
    on_roll: int
    severe: int
    persistent: int
    at_risk: int
    threshold: list[PupilFigures]  # most recent first
    n_codes: list[NCodeAwaiting]  # oldest first
    weeks: list[WeekFigures]
    characteristic_cohorts: list[CohortFigures]
    year_group_cohorts: list[CohortFigures]
    n_code_pupils: int = 0
    summary_rows: int = SUMMARY_ROWS

    @property
    def data(self) -> SchoolYear:
        return self.attendance.data

    @property
    def n_codes_overdue(self) -> int:
        return sum(1 for n in self.n_codes if n.overdue)


def dashboard_for(school: School, *, as_of: date) -> Dashboard:
    """Everything the dashboard page shows, for a school the caller may see."""
    attendance = school_attendance(school, as_of=as_of)
    data = attendance.data
    benchmark = benchmark_for(phase=school.phase, la_number=school.la_code)
    if attendance.year is None or attendance.recent is None:
        return Dashboard(
            attendance, benchmark, None, None, len(data.pupils), 0, 0, 0, [], [], [], [], []
        )
    year, recent = attendance.year.counts, attendance.recent.counts
    on_roll = attendance.on_roll
    thresholds = threshold_alerts(data)
    threshold = pupil_figures(
        attendance,
        PupilFilters(
            group=PupilGroup.THRESHOLD, sort="threshold", descending=True, include_leavers=True
        ),
        thresholds=thresholds,
    )
    n_codes = n_codes_awaiting(data)
    return Dashboard(
        attendance=attendance,
        benchmark=benchmark,
        year_to_date=rates_of(year),
        last_four_weeks=rates_of(recent),
        on_roll=int(on_roll.sum()),
        severe=int((year.severe_absence & on_roll).sum()),
        persistent=int((year.persistent_absence & on_roll).sum()),
        at_risk=int((attendance.at_risk & on_roll).sum()),
        threshold=threshold,
        n_codes=n_codes,
        weeks=weekly_figures(data),
        characteristic_cohorts=characteristic_cohorts(attendance),
        year_group_cohorts=year_group_cohorts(attendance),
        n_code_pupils=len({n.pupil.pupil_id for n in n_codes}),
    )
