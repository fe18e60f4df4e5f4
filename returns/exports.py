"""CSV and XLSX exports of the authority's compliance view. The XLSX is written with the
standard library (a workbook is a zip of XML parts), so no spreadsheet library is needed."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from returns.report_selectors import DeletionCounts, PeriodRow, Standout
from returns.selectors import ComplianceRow

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


def csv_bytes(table: Sequence[Sequence[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in table:
        # A cell a spreadsheet would run as a formula is written as text (CSV injection).
        writer.writerow([f"'{c}" if c[:1] in ("=", "+", "-", "@") else c for c in line])
    return out.getvalue().encode("utf-8-sig")


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def xlsx_bytes(table: Sequence[Sequence[str]], *, sheet: str = "Returns") -> bytes:
    """A one-sheet workbook of inline strings (numbers as numbers)."""
    rows = []
    for r, line in enumerate(table, start=1):
        cells = []
        for c, value in enumerate(line):
            ref = f"{_column(c)}{r}"
            if value.isdigit() and r > 1:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            f'<sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<worksheet xmlns="{main}"><sheetData>{"".join(rows)}</sheetData></worksheet>'
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


# --- the reports (returns.report_selectors) ---------------------------------------------------
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
