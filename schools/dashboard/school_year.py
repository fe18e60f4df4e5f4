"""One school's register for one school year, loaded once per request (KSAH §13, §25).

A fixed handful of queries — the year with projections, the pupils and their enrolments,
the code arrays, the term dates — and every figure is then NumPy over the
(pupils x slots) code array of `PupilYearRegister`. Nothing here runs a query per pupil.
Callers pass a school they got from `school_get_for`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, NamedTuple, cast

import numpy as np
import numpy.typing as npt
from django.db import connection
from django.db.models import BooleanField, Max
from django.db.models.expressions import RawSQL

from schools.calendar import (
    SchoolCalendar,
    academic_year_bounds,
    academic_year_label,
    academic_year_of,
)
from schools.evaluation import closure_days
from schools.models import Enrolment, Pupil, PupilYearRegister, School
from schools.projections import school_year_code_rows
from schools.register_arrays import (
    SLOTS_PER_YEAR,
    slot_of,
)
from schools.rules import PM
from schools.school_calendar import stored_calendar_for_school

Codes = npt.NDArray[np.uint8]
BoolArray = npt.NDArray[np.bool_]


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


def _pupil_details(
    school: School, first: date, last: date, pupil_ids: list[int]
) -> dict[int, tuple[object, ...]]:
    """The names and characteristics of the pupils `_enrolled` found (`pupil_ids`). By
    primary key rather than joined to the enrolments: PostgreSQL would hash-join a whole
    county's pupils for one school. On PostgreSQL the keys come from the same enrolment
    filter as a subquery array, not as 1,500 ids sent from here (formatting and sending
    them was a tenth of the dashboard's time)."""
    if not pupil_ids:
        return {}
    pupils = Pupil.objects.all()
    if connection.vendor == "postgresql":
        pupils = pupils.filter(
            RawSQL(
                '"schools_pupil"."id" = ANY(ARRAY(SELECT e.pupil_id FROM schools_enrolment e '
                "WHERE e.school_id = %s AND e.start_date <= %s "
                "AND (e.end_date IS NULL OR e.end_date >= %s)))",
                (school.pk, last, first),
                output_field=BooleanField(),
            )
        )
    else:
        pupils = pupils.filter(pk__in=pupil_ids)
    return {row[0]: row for row in pupils.values_list(*_PUPIL_FIELDS)}


def _codes(school: School, year: int, pupil_ids: list[int]) -> Codes:
    """The pupils' code arrays, in order; one query over the school-year's projections,
    copied into the matrix at once (not an array per pupil)."""
    order = {pupil_id: i for i, pupil_id in enumerate(pupil_ids)}
    codes = np.zeros((len(pupil_ids), SLOTS_PER_YEAR), dtype=np.uint8)
    rows = school_year_code_rows(school_id=school.pk, academic_year=year)
    found = [(order[pupil_id], raw) for pupil_id, raw in rows if pupil_id in order]
    if found:  # one fetch: ~1 MB for 1,500 pupils
        codes[[row for row, _ in found]] = np.frombuffer(
            b"".join(raw for _, raw in found), dtype=np.uint8
        ).reshape(len(found), SLOTS_PER_YEAR)
    return codes


def school_year_load(school: School, *, as_of: date) -> SchoolYear:
    year = data_year(school, as_of)
    year_start, year_end = academic_year_bounds(year)
    as_of = min(as_of, year_end)
    enrolled = _enrolled(school, year_start, as_of)
    details = _pupil_details(school, year_start, as_of, [pupil_id for pupil_id, _, _ in enrolled])
    enrolled = [row for row in enrolled if row[0] in details]
    pupil_ids = [pupil_id for pupil_id, _, _ in enrolled]
    codes = _codes(school, year, pupil_ids)
    as_of_slot = slot_of(as_of, PM, year_start)
    marked = np.flatnonzero(codes[:, : as_of_slot + 1].any(axis=0))
    data_date = None if marked.size == 0 else year_start + timedelta(days=int(marked[-1]) // 2)
    on = data_date or as_of
    pupils = []
    for pupil_id, year_group, end in enrolled:
        row = details[pupil_id]
        left = end is not None and end < on
        pupils.append(
            PupilInfo(
                pupil_id,
                str(row[1]),
                str(row[4] or row[2]),
                str(row[5] or row[3]),
                year_group or "",
                cast(date, row[6]),
                row[7:],  # type: ignore[arg-type]
                not left,
                end if left else None,
            )
        )
    flag_matrix = np.array([p.flag_values for p in pupils], dtype=bool).reshape(
        len(pupils), len(CHARACTERISTIC_KEYS)
    )
    # Whole-school closures (# / Y4) are not school days (DOMAIN §13), as in the evaluation.
    calendar = stored_calendar_for_school(school.pk, [year]).excluding(
        closure_days(codes, year_start)
    )
    return SchoolYear(school, year, as_of, data_date, calendar, pupils, codes, flag_matrix)
