"""Reads of the precomputed figures for the authority's dashboards, scoped to the schools
the user may see. Sums of sessions and pupils over schools, so every rate is exact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Min, Sum

from kpas.base.models import User
from kpas.figures.models import COHORTS, TERMS, SchoolFigures, SchoolWeekFigures
from schools.calendar import academic_year_of
from schools.selectors import school_list_for

SUMMED = ("pupils", "possible", "attendance", "persistent", "severe")


@dataclass(frozen=True)
class Totals:
    level: str  # "County", "Area", "District"
    name: str
    phase: str
    pupils: int
    possible: int
    attendance: int
    persistent: int
    severe: int

    @staticmethod
    def _percent(part: int, whole: int) -> float | None:
        return None if not whole else 100 * part / whole

    @property
    def attendance_rate(self) -> float | None:
        return self._percent(self.attendance, self.possible)

    @property
    def persistent_rate(self) -> float | None:
        return self._percent(self.persistent, self.pupils)

    @property
    def severe_rate(self) -> float | None:
        return self._percent(self.severe, self.pupils)


def figures_year(user: User, *, today: date) -> int:
    """This school year, or the latest with figures (August before the first marks)."""
    latest = SchoolFigures.objects.filter(
        school__in=school_list_for(user), academic_year__lte=academic_year_of(today)
    ).aggregate(year=Max("academic_year"))["year"]
    return int(latest) if latest is not None else academic_year_of(today)


def _rows(user: User, year: int, cohort: str, group: tuple[str, ...]) -> list[dict[str, object]]:
    return list(
        SchoolFigures.objects.filter(
            school__in=school_list_for(user), academic_year=year, cohort=cohort
        )
        .values(*group)
        .annotate(**{f: Sum(f) for f in SUMMED})
        .order_by(*group)
    )


def totals_by_level(user: User, *, year: int) -> list[Totals]:
    """County, then each area, then each district; each split by phase. Three queries."""
    levels = (
        ("County", ()),
        ("Area", ("school__district__area__name",)),
        ("District", ("school__district__name",)),
    )
    out: list[Totals] = []
    for level, group in levels:
        for row in _rows(user, year, "all", (*group, "school__phase")):
            name = str(row[group[0]]) if group else "All schools you can see"
            out.append(
                Totals(level, name, str(row["school__phase"]), *(int(row[f] or 0) for f in SUMMED))  # type: ignore[call-overload]
            )
    return out


def cohort_totals(user: User, *, year: int) -> list[Totals]:
    """Each cohort across the user's schools (one query)."""
    rows = {
        r["cohort"]: r
        for r in SchoolFigures.objects.filter(school__in=school_list_for(user), academic_year=year)
        .values("cohort")
        .annotate(**{f: Sum(f) for f in SUMMED})
    }
    labels = dict(COHORTS)
    return [
        Totals("Cohort", labels[key], "", *(int(rows[key][f] or 0) for f in SUMMED))  # type: ignore[call-overload, literal-required]
        for key, _ in COHORTS
        if key in rows
    ]


def school_rows(user: User, *, year: int) -> list[SchoolFigures]:
    """Every school's own figures (the school table and register freshness), one query."""
    return list(
        SchoolFigures.objects.filter(
            school__in=school_list_for(user), academic_year=year, cohort="all"
        )
        .select_related("school__district__area")
        .order_by("school__name")
    )


@dataclass(frozen=True)
class PeriodTotals:
    """Sessions of the user's schools over one week or one term (pupils of compulsory
    school age); rates of possible sessions."""

    label: str
    first: date  # the week's Monday, or the term's first week's Monday
    possible: int
    attendance: int
    authorised: int
    unauthorised: int

    @property
    def attendance_rate(self) -> float | None:
        return Totals._percent(self.attendance, self.possible)

    @property
    def absence_rate(self) -> float | None:
        return Totals._percent(self.authorised + self.unauthorised, self.possible)

    @property
    def unauthorised_rate(self) -> float | None:
        return Totals._percent(self.unauthorised, self.possible)


WEEK_SUMMED = ("possible", "attendance", "authorised", "unauthorised")


def _period_totals(user: User, year: int, group: str) -> list[dict[str, object]]:
    return list(
        SchoolWeekFigures.objects.filter(school__in=school_list_for(user), academic_year=year)
        .values(group)
        .annotate(first=Min("monday"), **{f: Sum(f) for f in WEEK_SUMMED})
        .order_by("first")
    )


def weekly_totals(user: User, *, year: int) -> list[PeriodTotals]:
    """Each week of the year across the user's schools, oldest first (one query)."""
    return [
        PeriodTotals(
            f"Week of {row['monday']:%-d %B %Y}",
            row["first"],  # type: ignore[arg-type]
            *(int(row[f] or 0) for f in WEEK_SUMMED),  # type: ignore[call-overload]
        )
        for row in _period_totals(user, year, "monday")
    ]


def termly_totals(user: User, *, year: int) -> list[PeriodTotals]:
    """Each term of the year so far across the user's schools (one query)."""
    labels = dict(TERMS)
    return [
        PeriodTotals(
            labels[str(row["term"])],
            row["first"],  # type: ignore[arg-type]
            *(int(row[f] or 0) for f in WEEK_SUMMED),  # type: ignore[call-overload]
        )
        for row in _period_totals(user, year, "term")
    ]
