"""CSV and XLSX exports of the authority's compliance view, written by the one generic
writer in kpas.base.spreadsheets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kpas.base import spreadsheets
from kpas.base.spreadsheets import csv_bytes
from returns.report_selectors import DeletionCounts, PeriodRow, Standout
from returns.selectors import ComplianceRow

__all__ = ["compliance_table", "csv_bytes", "xlsx_bytes"]

HEADER = (
    "School", "URN", "Area", "District", "Period from", "Period to", "Due", "Status",
    "Pupils to return", "Overdue", "Returned", "Not needed", "Last sent",
)  # fmt: skip


def compliance_table(rows: Iterable[ComplianceRow]) -> list[list[str]]:
    table = [list(HEADER)]
    for row in rows:
        school, period = row.school, row.period
        table.append(
            [
                school.name,
                school.urn,
                school.district.area.name if school.district else "",
                school.district.name if school.district else "",
                period.starts.isoformat(),
                period.ends.isoformat(),
                period.due_on.isoformat() if period.due_on else "",
                row.status_label,
                str(row.to_return),
                str(row.overdue),
                str(row.returned),
                str(row.not_needed),
                row.last_sent.date().isoformat() if row.last_sent else "",
            ]
        )
    return table


def xlsx_bytes(table: Sequence[Sequence[str]], *, sheet: str = "Returns") -> bytes:
    return spreadsheets.xlsx_bytes(table, sheet=sheet)


def periods_table(rows: Iterable[PeriodRow]) -> list[list[str]]:
    table = [[
        "School", "URN", "Area", "District", "Period from", "Period to", "Due", "Status",
        "To return", "Returned", "Returned late", "Not needed",
    ]]  # fmt: skip
    for row in rows:
        school, period = row.school, row.period
        table.append([
            school.name, school.urn, school.district.area.name, school.district.name,
            period.starts.isoformat(), period.ends.isoformat(),
            period.due_on.isoformat() if period.due_on else "", row.status_label,
            str(row.to_return), str(row.returned), str(row.returned_late), str(row.not_needed),
        ])  # fmt: skip
    return table


def deletions_table(counts: DeletionCounts) -> list[list[str]]:
    """One table of three parts: by ground, by school, by month."""
    table = [["Counted by", "Value", "Deletion returns"]]
    table += [["Ground", ground, str(n)] for ground, n in counts.by_ground]
    table += [["School", f"{school.name} ({school.urn})", str(n)] for school, n in counts.by_school]
    table += [["Month", month, str(n)] for month, n in counts.by_month]
    return table


def standout_table(standout: Standout) -> list[list[str]]:
    table = [["School", "URN", "Year 11 deletions", "Year 11 on roll", "Rate", "Stands out"]]
    for row in standout.rows:
        table.append([
            row.school.name, row.school.urn, str(row.deletions), str(row.roll),
            f"{row.rate:.3f}" if row.rate is not None else "", "yes" if row.stands_out else "no",
        ])  # fmt: skip
    county = f"{standout.county_rate:.3f}" if standout.county_rate is not None else ""
    table.append(["County", "", str(standout.county_deletions), str(standout.county_roll),
                  county, ""])  # fmt: skip
    return table
