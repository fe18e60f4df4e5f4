"""The figures a school's meeting frequency is decided on (DOMAIN §12): its overall
attendance for the last complete school year, or the year to date where there is none."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from schools.calendar import academic_year_bounds, academic_year_label, academic_year_of
from schools.dashboard.figures import rates_of, school_attendance
from schools.models import School
from schools.national_figures import national_figures


@dataclass(frozen=True)
class AttendanceBasis:
    attended: int
    possible: int
    period: str  # e.g. "2024/25" or "2025/26 to 20 November 2025"


def _rates(school: School, as_of: date) -> tuple[int, int, date | None, int] | None:
    attendance = school_attendance(school, as_of=as_of)
    if attendance.year is None:
        return None
    rates = rates_of(attendance.year.counts)
    if rates.possible == 0:
        return None
    return rates.attendance, rates.possible, attendance.data.data_date, attendance.data.year


def last_complete_year_basis(school: School, *, today: date) -> AttendanceBasis:
    """The last complete school year before today's; the year to date where none is held."""
    previous_end = academic_year_bounds(academic_year_of(today) - 1)[1]
    found = _rates(school, previous_end)
    if found is not None:
        attended, possible, _, year = found
        return AttendanceBasis(attended, possible, academic_year_label(year))
    return year_to_date_basis(school, today=today)


def year_to_date_basis(school: School, *, today: date) -> AttendanceBasis:
    found = _rates(school, today)
    if found is None:
        return AttendanceBasis(0, 0, "no register figures")
    attended, possible, data_date, year = found
    return AttendanceBasis(
        attended, possible, f"{academic_year_label(year)} to {data_date:%-d %B %Y}"
    )


def national_percent(school: School) -> Decimal | None:
    """The published national attendance for the school's phase; None for PRUs and others
    with no published figure, and for independent schools (the figures are state-funded)."""
    if not school.state_funded:
        return None
    figures = national_figures(school.phase)
    return None if figures is None else Decimal(str(figures.attendance))
