"""Issue 15 item 2: imports stream. Memory follows a chunk of the file (READ_CHUNK_BYTES, and
the staging's batches), never the file: each test imports a generated file many chunks long
and holds the import's peak Python memory (tracemalloc) under IMPORT_MEMORY_CEILING_MB. At
most MAX_STORED_ERRORS errors are kept and shown, the rest counted (docs/import-formats.md).
Before streaming, these files peaked at 77 MB (marks) and 72 MB (CTF); after, 14 MB and 29 MB
(docs/performance.md, "Import memory")."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from stdnum.gb import upn as upn_check

from schools.imports.common import MAX_STORED_ERRORS, MORE_ERRORS, READ_CHUNK_BYTES
from schools.imports.marks_csv import BAD_SESSION
from schools.imports.services import ImportResult, import_preview, import_run
from schools.models import ImportBatch, School

MB = 1 << 20


def peak_mb(action: Callable[[], ImportResult]) -> tuple[ImportResult, float]:
    tracemalloc.start()
    try:
        result = action()
        return result, tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()


def upn(serial: int) -> str:
    body = f"886200{serial:06d}"
    return upn_check.calc_check_digit(body) + body


def bad_marks_file(path: Path, chunks: int) -> int:
    """Rows each refused (the session is neither AM nor PM); returns how many."""
    row = f"118001,{upn(1)},2024-09-02,XX,/\n"
    rows = chunks * READ_CHUNK_BYTES // len(row)
    path.write_text("urn,upn,date,session,mark\n" + row * rows)
    return rows


def ctf_file(path: Path, pupils: int, marks: int) -> None:
    """A CTF from Riverside (URN 118001) with `marks` sessions for each of `pupils` pupils."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<CTfile><Header><CTFversion>25.0</CTFversion>'
        "<DateTime>2024-09-09T10:00:00</DateTime><SourceSchool><LEA>886</LEA><Estab>2001</Estab>"
        "<URN>118001</URN></SourceSchool><DestSchool><LEA>886</LEA><Estab>2002</Estab>"
        "</DestSchool></Header><CTFpupilData>\n"
    ]
    days = "/\\" * (marks // 2)
    for serial in range(pupils):
        parts.append(
            f"<Pupil><UPN>{upn(serial)}</UPN><Surname>Lee</Surname><Forename>Ann</Forename>"
            "<DOB>2015-05-01</DOB><Sex>F</Sex><Attendance><YearData><Year>2023</Year>"
            "<LEA>886</LEA><Estab>2001</Estab><AttendSessions><AttendanceStartDate>2023-09-04"
            f"</AttendanceStartDate><AttendanceMarks>{days}</AttendanceMarks></AttendSessions>"
            "</YearData></Attendance></Pupil>\n"
        )
    path.write_text("".join(parts) + "</CTFpupilData></CTfile>\n")


def test_a_marks_file_of_bad_rows_stays_under_the_ceiling_and_keeps_the_first_errors(
    riverside: School, tmp_path: Path
) -> None:
    path = tmp_path / "marks.csv"
    rows = bad_marks_file(path, chunks=8)
    result, peak = peak_mb(lambda: import_run(kind="marks", file_path=path))
    assert peak < settings.IMPORT_MEMORY_CEILING_MB, f"{peak:.0f} MB"
    assert result.status == "rejected" and result.error_count == rows
    more = MORE_ERRORS.format(count=rows - MAX_STORED_ERRORS)
    first = f"line 2: {BAD_SESSION.format(value='XX')}"
    assert result.errors[0] == first and result.errors[-1] == more
    assert len(result.errors) == MAX_STORED_ERRORS + 1
    assert ImportBatch.objects.get().errors == result.errors
    assert f"{rows:,} error(s)" in result.summary()


def test_a_ctf_of_many_pupils_stays_under_the_ceiling(riverside: School, tmp_path: Path) -> None:
    path = tmp_path / "ctf.xml"
    ctf_file(path, pupils=3000, marks=40)
    assert path.stat().st_size > READ_CHUNK_BYTES
    result, peak = peak_mb(lambda: import_preview(kind="ctf", file_path=path))
    assert peak < settings.IMPORT_MEMORY_CEILING_MB, f"{peak:.0f} MB"
    assert result.status == "previewed", result.errors[:3]
    assert result.counts["pupils"]["added"] == 3000
    assert result.counts["marks"]["added"] == 3000 * 40


HEADER = b"urn,upn,date,session,mark\n"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        pytest.param(b"a" * (READ_CHUNK_BYTES * 2), "line 1: the line is longer", id="endless"),
        pytest.param(
            HEADER + b"\n" * READ_CHUNK_BYTES + b"\xff\n",
            f"line {READ_CHUNK_BYTES + 2}: the file is not UTF-8",
            id="bad-byte-after-a-chunk",
        ),
        pytest.param(  # a character split between two chunks is read whole
            HEADER + b"\n" * (READ_CHUNK_BYTES - len(HEADER) - 1) + "\u00e9\n".encode(),
            f"line {READ_CHUNK_BYTES - len(HEADER) + 1}: expected 5 fields",
            id="character-across-chunks",
        ),
        pytest.param(
            HEADER + b"\n" * READ_CHUNK_BYTES + b"118001,\x00\n",
            f"line {READ_CHUNK_BYTES + 2}: the file contains a NUL",
            id="nul-after-a-chunk",
        ),
    ],
)
def test_a_file_read_in_chunks_names_the_line_of_what_is_wrong(
    riverside: School, data: bytes, error: str
) -> None:
    result = import_run(kind="marks", data=data)
    assert result.status == "rejected" and result.errors[0].startswith(error), result.errors
