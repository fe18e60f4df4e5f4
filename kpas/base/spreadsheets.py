"""CSV and XLSX files of plain tables (lists of rows of strings), one copy for every export.

The XLSX is written with the standard library (a workbook is a zip of XML parts), so no
spreadsheet library is needed. Whole numbers and decimals below the header row are written
as numbers; everything else as inline text. A CSV cell a spreadsheet would run as a formula
is written as text (CSV injection)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from typing import Final
from xml.sax.saxutils import escape

Table = Sequence[Sequence[str]]
_NUMBER: Final = re.compile(r"-?(0|[1-9]\d{0,14})(\.\d+)?")
_FORMULA_STARTS: Final = ("=", "+", "-", "@")


def csv_bytes(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in table:
        writer.writerow([f"'{c}" if c[:1] in _FORMULA_STARTS else c for c in line])
    return out.getvalue().encode("utf-8-sig")


def column_letters(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA": spreadsheet column names (also "School A"...)."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _sheet_xml(table: Table) -> str:
    rows = []
    for r, line in enumerate(table, start=1):
        cells = []
        for c, value in enumerate(line):
            ref = f"{column_letters(c)}{r}"
            if r > 1 and _NUMBER.fullmatch(value):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<worksheet xmlns="{main}"><sheetData>{"".join(rows)}</sheetData></worksheet>'
    )


def _sheet_name(name: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "Sheet"


def xlsx_workbook(sheets: Sequence[tuple[str, Table]]) -> bytes:
    """A workbook with one sheet per (name, table), in order."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    numbers = range(1, len(sheets) + 1)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in numbers
    )
    parts = {
        "[Content_Types].xml": (
            f"{head}"
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            f'{head}<Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'{head}<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            + "".join(
                f'<sheet name="{escape(_sheet_name(name))}" sheetId="{n}" r:id="rId{n}"/>'
                for n, (name, _) in zip(numbers, sheets, strict=True)
            )
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{head}<Relationships xmlns="{pkg}">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{rel}/worksheet" '
                f'Target="worksheets/sheet{n}.xml"/>'
                for n in numbers
            )
            + "</Relationships>"
        ),
    }
    for n, (_, table) in zip(numbers, sheets, strict=True):
        parts[f"xl/worksheets/sheet{n}.xml"] = _sheet_xml(table)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def xlsx_bytes(table: Table, *, sheet: str = "Sheet1") -> bytes:
    """A one-sheet workbook."""
    return xlsx_workbook([(sheet, table)])
