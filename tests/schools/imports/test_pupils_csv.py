"""Pupils CSV: pupils by UPN (check letter validated), their enrolments, only given columns."""

from __future__ import annotations

from datetime import date

import pytest

from schools.imports.pupils_csv import parse_pupils
from schools.imports.services import import_run
from schools.models import Enrolment, ImportBatch, Pupil, School
from tests.schools.imports.conftest import run

pytestmark = pytest.mark.django_db


def test_good_file_adds_pupils_and_enrolments(pupils: object, hilltop: School) -> None:
    amelia = Pupil.objects.get(upn="R886200124001")
    assert (amelia.forename, amelia.surname, amelia.gender) == ("Amelia", "Stone", "F")
    assert (amelia.fsm, amelia.sen_support) == (True, False)
    assert Pupil.objects.get(upn="V886200124003").gender == "F"  # "Female", by its label
    noah = Enrolment.objects.get(pupil__upn="T886200224004")
    assert (noah.school, noah.start_date, noah.year_group) == (hilltop, date(2023, 9, 1), "8")
    assert Enrolment.objects.count() == 4


def test_bad_file_is_refused_whole_with_every_line_named(riverside: School) -> None:
    result = run("pupils", "pupils_bad.csv")

    assert result.status == ImportBatch.Status.REJECTED
    assert result.errors == [
        "line 2: upn: 'A886200124001' is not a valid UPN (the number's checksum or check "
        "digit is invalid)",
        "line 3: forename: is required",
        "line 4: date_of_birth: '2016-02-30' is not a date in the form YYYY-MM-DD",
        "line 4: fsm: 'maybe' is not one of Y, N, true, false, 1, 0 or blank",
        "line 5: urn: no school has URN '999999'",
    ]
    assert not Pupil.objects.exists()


def test_resend_changes_nothing_and_absent_columns_are_left_alone(pupils: object) -> None:
    assert run("pupils", "pupils.csv").status == ImportBatch.Status.UNCHANGED

    data = (
        b"urn,upn,forename,surname,date_of_birth\n"
        b"118001,R886200124001,Amelia,Stone-Hill,2015-05-01\n"
    )
    result = import_run(kind="pupils", data=data, filename="rename.csv")

    assert result.counts == {
        "pupils": {"added": 0, "updated": 1, "unchanged": 0},
        "enrolments": {"added": 0, "updated": 0, "unchanged": 1},
    }
    amelia = Pupil.objects.get(upn="R886200124001")
    assert (amelia.surname, amelia.fsm) == ("Stone-Hill", True)  # fsm not in the file: kept
    assert Enrolment.objects.filter(pupil=amelia).count() == 1


def test_conflicting_rows_for_one_pupil_name_both_lines(riverside: School) -> None:
    data = (
        b"urn,upn,forename,surname,date_of_birth\n"
        b"118001,R886200124001,Amelia,Stone,2015-05-01\n"
        b"118001,R886200124001,Amelia,Stone,2015-05-01\n"
        b"118001,R886200124001,Amelia,Stone,2015-06-01\n"
    )
    result = import_run(kind="pupils", data=data, filename="dup.csv")
    assert result.errors == [
        "line 3: UPN R886200124001 at URN 118001 is already given on line 2",
        "line 4: upn: UPN R886200124001 is already given on line 2 with different details",
    ]


def test_enrolment_starts_on_the_first_day_of_the_academic_year_by_default(
    riverside: School,
) -> None:
    data = b"urn,upn,forename,surname,date_of_birth\n118001,R886200124001,Amelia,Stone,2015-05-01\n"
    _, enrolments, _, errors = parse_pupils(data, today=date(2025, 3, 14))
    assert errors == []
    assert enrolments[0].start_date == date(2024, 8, 1)


def test_a_pupil_already_on_roll_gets_no_second_enrolment(pupils: object) -> None:
    data = (
        b"urn,upn,forename,surname,date_of_birth,start_date,year_group\n"
        b"118001,R886200124001,Amelia,Stone,2015-05-01,2024-09-01,Year 5\n"
    )
    result = import_run(kind="pupils", data=data, filename="y5.csv")
    assert result.counts["enrolments"] == {"added": 0, "updated": 1, "unchanged": 0}
    enrolment = Enrolment.objects.get(pupil__upn="R886200124001")
    assert (enrolment.start_date, enrolment.year_group) == (date(2023, 9, 1), "5")


def test_a_school_may_only_send_its_own_pupils(riverside: School, hilltop: School) -> None:
    result = run("pupils", "pupils.csv", school=riverside)
    assert result.status == ImportBatch.Status.REJECTED
    assert result.errors == [
        "line 5: urn: '118002' is not your school (118001); you can only send your own "
        "school's rows"
    ]
    assert not Pupil.objects.exists()
