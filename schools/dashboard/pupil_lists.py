"""Pupil lists: each pupil's figures, the groups, filters and sorting (KSAH §25)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

import numpy as np
from django.db.models.fields.json import KT

from schools.dashboard.figures import Rates, SchoolAttendance, percent
from schools.dashboard.school_year import PupilInfo, SchoolYear, year_group_order
from schools.models import Alert
from schools.school_age import is_compulsory_school_age


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
# KSAH §15 iv: only a state-funded school may request a penalty notice (DOMAIN §1, §5),
# so an independent school is not told to consider one.
INDEPENDENT_THRESHOLD_DESCRIPTION: Final = (
    "Pupils with 10 or more sessions of unauthorised absence within 10 school weeks this "
    "year (the national threshold). Independent schools cannot request penalty notices; "
    "the list is here to help you target support."
)


def group_description(group: PupilGroup, *, state_funded: bool) -> str:
    if group == PupilGroup.THRESHOLD and not state_funded:
        return INDEPENDENT_THRESHOLD_DESCRIPTION
    return GROUP_DESCRIPTIONS[group]


NUMERIC_SORTS: Final = frozenset({"attendance", "absence", "unauthorised", "recent"})


@dataclass(frozen=True, kw_only=True)
class PupilFigures(Rates):
    """One pupil's year to date (the `Rates`) and last 4 school weeks, as list pages show
    them."""

    pupil: PupilInfo
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
    def recent_rate(self) -> float | None:
        return percent(self.recent_attendance, self.recent_possible)


@dataclass(frozen=True)
class ThresholdMet:
    pupil_id: int
    met_on: date
    sessions: int | None
    window_start: date | None


def threshold_alerts(data: SchoolYear) -> dict[int, ThresholdMet]:
    """The latest penalty-threshold alert of each pupil this school year (one query). Only
    the three details it shows are read, as text: not each alert's whole JSON (its codes by
    day) to be decoded in Python."""
    found: dict[int, ThresholdMet] = {}
    rows = (
        Alert.objects.filter(
            school=data.school, academic_year=data.year, kind=Alert.Kind.PENALTY_THRESHOLD
        )
        .order_by("raised_on")
        .values_list(
            "pupil_id",
            "raised_on",
            KT("details__met_on"),
            KT("details__window_start"),
            KT("details__sessions"),
        )
    )
    for pupil_id, raised_on, met_on_text, window_text, sessions in rows:
        met_on = _date(met_on_text) or raised_on
        window = _date(window_text)
        found[pupil_id] = ThresholdMet(
            pupil_id, met_on, (int(sessions) if sessions else 0) or None, window
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
    # Each array once, as Python values: `CategoryCounts` works its derived arrays out on
    # every access, and a school's 1,500 rows would otherwise do so 1,500 times each.
    kept = np.flatnonzero(keep)
    possible, attended = year.possible[kept].tolist(), year.attendance[kept].tolist()
    authorised, unauthorised = year.authorised[kept].tolist(), year.unauthorised[kept].tolist()
    recent_possible, recent_attended = (
        recent.possible[kept].tolist(),
        recent.attendance[kept].tolist(),
    )
    persistent, severe = (
        year.persistent_absence[kept].tolist(),
        year.severe_absence[kept].tolist(),
    )
    at_risk = attendance.at_risk[kept].tolist()
    rows = []
    for n, i in enumerate(kept.tolist()):
        pupil = data.pupils[i]
        if filters.year_group and pupil.year_group != filters.year_group:
            continue
        if search and search not in pupil.name.lower() and search not in pupil.upn.lower():
            continue
        met = (thresholds or {}).get(pupil.pupil_id)
        rows.append(
            PupilFigures(
                pupil=pupil,
                possible=possible[n],
                attendance=attended[n],
                authorised=authorised[n],
                unauthorised=unauthorised[n],
                recent_possible=recent_possible[n],
                recent_attendance=recent_attended[n],
                persistent_absence=persistent[n],
                severe_absence=severe[n],
                at_risk=at_risk[n],
                threshold_met_on=met.met_on if met else None,
                threshold_sessions=met.sessions if met else None,
            )
        )
    sort_key = SORTS.get(filters.sort, SORTS[DEFAULT_SORT])[1]
    rows.sort(key=sort_key, reverse=filters.descending)  # type: ignore[arg-type]
    return rows


def year_groups_of(data: SchoolYear) -> list[str]:
    return sorted({p.year_group for p in data.pupils if p.year_group}, key=year_group_order)
