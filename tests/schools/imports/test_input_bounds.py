"""Issue 15 item 2: bounded inputs. Marks only for sessions that have happened, in school
years the authority holds (an upload never creates a register partition); dates of birth
within a pupil's ages; no NUL byte and no over-long field — each refused with `line N: …`,
nothing applied."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from schools.imports.common import HAS_NUL
from schools.imports.input_rules import (
    MAX_FIELD_CHARS,
    age_on,
    birth_date_problem,
    field_problem,
    register_date_problem,
)
from schools.imports.services import import_run
from schools.models import ImportBatch, Mark, Pupil, School
from tests.schools.imports.conftest import DATA

AMELIA = "R886200124001"
TODAY = date(2026, 12, 3)


# --- the rules ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "problem"),
    [
        pytest.param(TODAY, None, id="today"),
        pytest.param(date(2018, 8, 1), None, id="first-day-of-the-first-year-held"),
        pytest.param(TODAY + timedelta(days=1), "is after today", id="tomorrow"),
        pytest.param(date(9999, 12, 31), "is after today", id="9999-12-31"),
        pytest.param(date(2018, 7, 31), "school year 2017/18, before", id="year-before"),
        pytest.param(date(1, 1, 1), "school year 0/01, before", id="0001-01-01"),
    ],
)
def test_register_dates_are_bounded(day: date, problem: str | None) -> None:
    # issue 15 item 2: marks for sessions that have happened, in years held
    found = register_date_problem(day, today=TODAY, first_year=2018)
    assert found == problem if problem is None else problem in str(found)


@pytest.mark.parametrize(
    ("born", "problem"),
    [
        pytest.param(date(2015, 1, 10), None, id="eleven"),
        pytest.param(date(2024, 12, 3), None, id="two-today"),
        pytest.param(date(2024, 12, 4), "would make the pupil 1", id="two-tomorrow"),
        pytest.param(date(2001, 12, 4), None, id="twenty-five"),
        pytest.param(date(2000, 12, 3), "would make the pupil 26", id="twenty-six"),
        pytest.param(date(1, 1, 1), "would make the pupil 2025", id="0001-01-01"),
        pytest.param(date(9999, 12, 31), "is in the future", id="9999-12-31"),
    ],
)
def test_dates_of_birth_are_plausible(born: date, problem: str | None) -> None:
    # SEND code of practice 0-25; nursery from two (input_rules.MIN_PUPIL_AGE)
    found = birth_date_problem(born, today=TODAY)
    assert found == problem if problem is None else problem in str(found)


def test_age_on_a_leap_birthday() -> None:
    assert age_on(date(2012, 2, 29), date(2025, 2, 28)) == 12
    assert age_on(date(2012, 2, 29), date(2025, 3, 1)) == 13


def test_fields_are_bounded() -> None:
    assert field_problem("upn", "A" * MAX_FIELD_CHARS) is None
    assert "1,001 characters long" in str(field_problem("upn", "A" * (MAX_FIELD_CHARS + 1)))
    assert "NUL" in str(field_problem("upn", "A\x00"))


# --- the files -----------------------------------------------------------------------------
def marks(*rows: str) -> bytes:
    return ("urn,upn,date,session,mark\n" + "".join(f"{r}\n" for r in rows)).encode()


def partitions() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'schools_mark'"
        )
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.django_db
def test_marks_in_the_future_or_before_the_years_held_are_refused(
    pupils: object, riverside: School
) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    postgres = connection.vendor == "postgresql"
    before = partitions() if postgres else set()
    result = import_run(
        kind="marks",
        data=marks(
            f"118001,{AMELIA},2024-09-02,AM,/",
            f"118001,{AMELIA},{tomorrow},AM,/",
            f"118001,{AMELIA},2040-09-03,AM,/",
            f"118001,{AMELIA},2011-09-05,AM,/",
            f"118001,{AMELIA},0001-01-01,AM,/",
            f"118001,{AMELIA},9999-12-31,PM,/",
        ),
        school=riverside,
    )
    assert result.status == ImportBatch.Status.REJECTED
    assert [e.split(":")[0] for e in result.errors] == [f"line {n}" for n in range(3, 8)]
    assert result.errors[0] == (
        f"line 3: date: {tomorrow} is after today ({timezone.localdate()}); marks are taken "
        "only for sessions that have happened"
    )
    assert (
        "school year 2011/12, before the first the authority holds (2018/19)" in (result.errors[2])
    )
    assert not Mark.objects.exists()  # not even line 2
    if postgres:
        assert partitions() == before  # no partition created for 2040, 2011, 0001 or 9999


@pytest.mark.django_db
def test_a_nul_byte_refuses_the_file_naming_its_line(pupils: object, riverside: School) -> None:
    data = marks(f"118001,{AMELIA},2024-09-02,AM,/", f"118001,{AMELIA}\x00,2024-09-02,PM,/")
    result = import_run(kind="marks", data=data, school=riverside)
    assert result.status == "rejected" and result.errors == [f"line 3: {HAS_NUL}"]


@pytest.mark.django_db
def test_an_over_long_field_is_an_error_naming_its_line(pupils: object, riverside: School) -> None:
    data = marks(f"118001,{AMELIA},2024-09-02,AM,/", f"118001,{'R' * 5000},2024-09-02,PM,/")
    result = import_run(kind="marks", data=data, school=riverside)
    assert result.status == "rejected"
    assert result.errors == [
        "line 3: upn: the value is 5,000 characters long; at most 1,000 are accepted"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("born", ["0001-01-01", "9999-12-31", "1950-06-01"])
def test_absurd_dates_of_birth_are_refused(riverside: School, born: str) -> None:
    text = (DATA / "pupils.csv").read_text().splitlines()
    header, first = text[0], text[1].split(",")
    first[header.split(",").index("date_of_birth")] = born
    result = import_run(kind="pupils", data="\n".join([header, ",".join(first)]).encode())
    assert result.status == "rejected", result.errors
    assert result.errors[0].startswith(f"line 2: date_of_birth: {born} ")
    assert not Pupil.objects.exists()


@pytest.mark.django_db
def test_a_ctf_with_an_absurd_date_of_birth_or_future_marks_is_refused(
    riverside: School, hilltop: School
) -> None:
    xml = (DATA / "ctf.xml").read_text()
    bad = xml.replace("<DOB>2015-05-01</DOB>", "<DOB>0001-01-01</DOB>", 1)
    result = import_run(kind="ctf", data=bad.encode(), filename="bad.xml")
    assert result.status == "rejected"
    assert any("date_of_birth: 0001-01-01 would make the pupil" in e for e in result.errors)
    start = xml.split("<AttendanceStartDate>")[1][:10]
    future = xml.replace(f"<AttendanceStartDate>{start}", "<AttendanceStartDate>9999-12-20", 1)
    result = import_run(kind="ctf", data=future.encode(), filename="future.xml")
    assert result.status == "rejected"
    assert any("AttendanceMarks for 9999-12-2" in e for e in result.errors), result.errors
    assert not Pupil.objects.exists()
