"""Published attendance figures to benchmark a school against (KSAH §25; DOMAIN §4, §12).

Source: the DfE's "Pupil attendance in schools" year-to-date figures for 2025/26
(`schools/data/dfe-pupil-attendance-ytd-2025-26.csv`), state-funded schools only. The
national figure for a phase is the row whose `geographic_level` is "National" and whose
`education_phase` is Primary, Secondary or Special; the authority's own figure is its
"Local authority" row (matched on the old three-digit LA number); its region's figure (Kent:
South East) the "Regional" row of the region its LA row names.

Which published phase a school is compared with (`PUBLISHED_PHASE`):
- primary, secondary, special: their own phase;
- all-through: Secondary, because the DfE counts all-through schools with state-funded
  secondary schools in its attendance statistics;
- PRU and nursery: none. The DfE publishes no figure for pupil referral units (DOMAIN §14),
  and nursery schools are outside its attendance collection; the page says so plainly.
The file has no severe absence rate, so none is shown beside a school's.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

DFE_ATTENDANCE_FILE: Final = (
    Path(__file__).resolve().parent / "data" / "dfe-pupil-attendance-ytd-2025-26.csv"
)
SOURCE: Final = "DfE, Pupil attendance in schools, 2025/26 year to date (state-funded schools)"

# School.Phase value -> the DfE's education_phase, or None where nothing comparable exists.
PUBLISHED_PHASE: Final[dict[str, str | None]] = {
    "primary": "Primary",
    "secondary": "Secondary",
    "all_through": "Secondary",
    "special": "Special",
    "pru": None,
    "nursery": None,
}
NO_FIGURE_REASONS: Final[dict[str, str]] = {
    "pru": "The DfE publishes no national attendance figure for pupil referral units.",
    "nursery": "Nursery schools are not included in the DfE's attendance statistics.",
}
PHASE_NOTES: Final[dict[str, str]] = {
    "all_through": (
        "All-through schools are compared with secondary schools: the DfE counts them as "
        "state-funded secondary schools."
    ),
}


@dataclass(frozen=True)
class PublishedFigures:
    """One published row: rates are percentages (of sessions; PA of pupils)."""

    geography: str  # "England", or the authority's name
    education_phase: str  # "Primary", "Secondary", "Special"
    time_period: str  # "2025/26"
    attendance: float
    absence: float
    authorised: float
    unauthorised: float
    persistent_absence: float  # percentage of pupils missing 10% or more
    severe_absence: float | None = None  # not published in this file


def _period(raw: str) -> str:
    """'202526' -> '2025/26'."""
    return f"{raw[:4]}/{raw[4:]}" if len(raw) == 6 and raw.isdigit() else raw


def _number(raw: str) -> float | None:
    """A published value; the DfE's symbols ('c' suppressed, 'z' not applicable, 'x' not
    available) become None."""
    try:
        return float(raw)
    except ValueError:
        return None


def _figures(row: dict[str, str], geography: str) -> PublishedFigures | None:
    columns = (
        "attendance_perc",
        "overall_absence_perc",
        "authorised_absence_perc",
        "unauthorised_absence_perc",
        "pa_perc",
    )
    rates = [rate for column in columns if (rate := _number(row[column])) is not None]
    if len(rates) != len(columns):
        return None
    attendance, absence, authorised, unauthorised, persistent = rates
    return PublishedFigures(
        geography=geography,
        education_phase=row["education_phase"],
        time_period=_period(row["time_period"]),
        attendance=attendance,
        absence=absence,
        authorised=authorised,
        unauthorised=unauthorised,
        persistent_absence=persistent,
    )


_REGION_OF_LA: dict[str, str] = {}  # old LA number -> region code, filled by _published


@cache
def _published(path: Path = DFE_ATTENDANCE_FILE) -> dict[tuple[str, str], PublishedFigures]:
    """{("national", phase) | (la_number, phase): figures}, read once per process."""
    table: dict[tuple[str, str], PublishedFigures] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            level, phase = row["geographic_level"], row["education_phase"]
            if level == "National":
                key, figures = ("national", phase), _figures(row, row["country_name"] or "England")
            elif level == "Local authority" and row["old_la_code"]:
                key, figures = (row["old_la_code"], phase), _figures(row, row["la_name"])
                _REGION_OF_LA[row["old_la_code"]] = row["region_code"]
            elif level == "Regional" and row["region_code"]:
                key = (f"region:{row['region_code']}", phase)
                figures = _figures(row, row["region_name"])
            else:
                continue
            if figures is not None:
                table[key] = figures
    return table


def national_figures(school_phase: str) -> PublishedFigures | None:
    """England's figures for the phase a school is compared with; None if there is none."""
    published_phase = PUBLISHED_PHASE.get(school_phase)
    if published_phase is None:
        return None
    return _published().get(("national", published_phase))


def authority_figures(la_number: str, school_phase: str) -> PublishedFigures | None:
    """The authority's own published figures for the phase (e.g. Kent, 886)."""
    published_phase = PUBLISHED_PHASE.get(school_phase)
    if published_phase is None or not la_number:
        return None
    return _published().get((la_number, published_phase))


def regional_figures(la_number: str, school_phase: str) -> PublishedFigures | None:
    """The published figures of the authority's region for the phase (Kent: South East)."""
    published_phase = PUBLISHED_PHASE.get(school_phase)
    table = _published()
    region = _REGION_OF_LA.get(la_number)
    if published_phase is None or region is None:
        return None
    return table.get((f"region:{region}", published_phase))


def all_phases_figures(la_number: str) -> tuple[PublishedFigures | None, ...]:
    """England's, the region's and the authority's figures over every phase (the DfE's
    "Total" rows), for a trend across all schools."""
    table = _published()
    region = _REGION_OF_LA.get(la_number, "")
    return (
        table.get(("national", "Total")),
        table.get((f"region:{region}", "Total")),
        table.get((la_number, "Total")),
    )


@dataclass(frozen=True)
class Benchmark:
    """What a school's figures are shown beside, and why when there is nothing."""

    national: PublishedFigures | None
    authority: PublishedFigures | None
    no_figure_reason: str = ""
    note: str = ""
    region: PublishedFigures | None = None


# The DfE's national and local authority figures are of state-funded schools (DOMAIN §1):
# an independent school's figures are not set beside them.
INDEPENDENT_REASON: Final = (
    "The published national and Kent averages are of state-funded schools, so an "
    "independent school's figures are not compared with them."
)


def benchmark_for(*, phase: str, la_number: str, state_funded: bool = True) -> Benchmark:
    if not state_funded:
        return Benchmark(national=None, authority=None, no_figure_reason=INDEPENDENT_REASON)
    national = national_figures(phase)
    reason = (
        ""
        if national
        else NO_FIGURE_REASONS.get(
            phase, "There is no published national figure for this kind of school."
        )
    )
    return Benchmark(
        national=national,
        authority=authority_figures(la_number, phase),
        no_figure_reason=reason,
        note=PHASE_NOTES.get(phase, ""),
        region=regional_figures(la_number, phase),
    )
