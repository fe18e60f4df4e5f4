"""The dashboard's tables as plain rows of text, for its CSV and XLSX downloads (written by
kpas.base.spreadsheets). The same figures the page shows, to one decimal place."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kpas.figures.models import SchoolFigures
from kpas.figures.sections import DashboardSection
from kpas.figures.selectors import PeriodTotals, Totals
from schools.national_figures import Benchmark, PublishedFigures

Table = list[list[str]]


def fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _published(figures: PublishedFigures | None, field: str) -> str:
    return fmt(getattr(figures, field)) if figures is not None else ""


SUMMARY_HEADER = [
    "level", "name", "phase", "pupils", "possible_sessions", "attendance_percent",
    "persistent_absence_percent", "severe_absence_percent", "national_attendance_percent",
    "regional_attendance_percent", "authority_attendance_percent",
    "national_persistent_absence_percent", "regional_persistent_absence_percent",
    "data_to", "school_days_behind",
]  # fmt: skip


def _benchmarks(b: Benchmark) -> list[str]:
    return [
        _published(b.national, "attendance"),
        _published(b.region, "attendance"),
        _published(b.authority, "attendance"),
        _published(b.national, "persistent_absence"),
        _published(b.region, "persistent_absence"),
    ]


def summary_table(
    levels: Sequence[tuple[Totals, Benchmark]],
    schools: Sequence[tuple[SchoolFigures, str, Benchmark]],
) -> Table:
    table = [list(SUMMARY_HEADER)]
    for t, b in levels:
        table.append(
            [t.level, t.name, t.phase, str(t.pupils), str(t.possible), fmt(t.attendance_rate),
             fmt(t.persistent_rate), fmt(t.severe_rate), *_benchmarks(b), "", ""]
        )  # fmt: skip
    for r, name, b in schools:
        table.append(
            ["School", name, r.school.phase, str(r.pupils), str(r.possible),
             fmt(r.attendance_rate), fmt(r.persistent_rate), fmt(r.severe_rate),
             *_benchmarks(b), r.data_date.isoformat() if r.data_date else "",
             str(r.school_days_behind)]
        )  # fmt: skip
    return table


def cohorts_table(cohorts: Sequence[Totals]) -> Table:
    header = ["cohort", "pupils", "possible_sessions", "attendance_percent",
              "persistent_absence_percent", "severe_absence_percent"]  # fmt: skip
    return [header] + [
        [t.name, str(t.pupils), str(t.possible), fmt(t.attendance_rate),
         fmt(t.persistent_rate), fmt(t.severe_rate)]
        for t in cohorts
    ]  # fmt: skip


def periods_table(first_column: str, periods: Sequence[PeriodTotals]) -> Table:
    header = [first_column, "possible_sessions", "attendance_sessions", "attendance_percent",
              "absence_percent", "unauthorised_absence_percent"]  # fmt: skip
    return [header] + [
        [p.label, str(p.possible), str(p.attendance), fmt(p.attendance_rate),
         fmt(p.absence_rate), fmt(p.unauthorised_rate)]
        for p in periods
    ]  # fmt: skip


def section_table(section: DashboardSection) -> Table:
    return [list(section.header)] + [list(row) for row in section.rows]


def all_tables(
    summary: Table, named: Mapping[str, Table], sections: Sequence[DashboardSection]
) -> dict[str, Table]:
    """Every table by its key: `summary`, then the named ones, then the sections."""
    return {"summary": summary, **named, **{s.key: section_table(s) for s in sections}}
