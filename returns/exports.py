"""CSV and XLSX exports of the authority's compliance view, written by the one generic
writer in kpas.base.spreadsheets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kpas.base import spreadsheets
from kpas.base.spreadsheets import csv_bytes
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
