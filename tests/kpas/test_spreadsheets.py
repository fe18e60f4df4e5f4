"""The one CSV and XLSX writer (kpas.base.spreadsheets): what is a number, what is text,
formula-looking cells, column letters and sheet names, read back with the standard library."""

from __future__ import annotations

import csv
import io
import zipfile
from xml.etree import ElementTree

import pytest

from kpas.base.spreadsheets import column_letters, csv_bytes, xlsx_bytes, xlsx_workbook

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ")]
)
def test_column_letters(index, letters) -> None:  # type: ignore[no-untyped-def]
    assert column_letters(index) == letters


def test_csv_writes_formula_looking_cells_as_text() -> None:
    data = csv_bytes([["name", "value"], ["=HYPERLINK(1)", "-3"], ["@x", "94.7"]])
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, so spreadsheets read UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["name", "value"], ["'=HYPERLINK(1)", "'-3"], ["'@x", "94.7"]]


def _cells(book: bytes, n: int) -> list[tuple[str, str | None, str]]:
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        root = ElementTree.fromstring(archive.read(f"xl/worksheets/sheet{n}.xml"))
    return [(c.get("r") or "", c.get("t"), "".join(c.itertext())) for c in root.iter(f"{MAIN}c")]


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("12", None),  # numbers are numbers
        ("94.7", None),
        ("0.00", None),
        ("-3", None),
        ("0123", "inlineStr"),  # a leading zero is an identifier: kept as text
        ("2025-09-01", "inlineStr"),
        ("1e5", "inlineStr"),
        ("<b>&", "inlineStr"),  # escaped
        ("", "inlineStr"),
    ],
)
def test_xlsx_numbers_and_text(value, kind) -> None:  # type: ignore[no-untyped-def]
    cells = _cells(xlsx_bytes([["heading"], [value]]), 1)
    assert cells[0] == ("A1", "inlineStr", "heading")  # the header row is always text
    assert cells[1] == ("A2", kind, value)


def test_a_workbook_of_several_sheets() -> None:
    book = xlsx_workbook([("weeks", [["a"], ["1"]]), ("bad/name:[x]", [["b"], ["2"]])])
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        assert "[Content_Types].xml" in archive.namelist()
    names = [s.get("name") for s in workbook.iter(f"{MAIN}sheet")]
    assert names == ["weeks", "bad name  x "]
    assert _cells(book, 2)[1] == ("A2", None, "2")
