"""The Common Transfer File: read safely, totals checked against the marks, applied once."""

from __future__ import annotations

import time
from datetime import date

import pytest

from schools.imports.common import RowError
from schools.imports.ctf_attendance import CTF_MARK_CHARACTERS, FILLER, expand_marks
from schools.imports.services import import_run
from schools.models import Enrolment, ImportBatch, Mark, Parent, Pupil, School
from tests.schools.imports.conftest import DATA, run

pytestmark = pytest.mark.django_db


def test_good_file_is_applied(pupils: object, riverside: School) -> None:
    result = run("ctf", "ctf.xml")

    assert result.status == ImportBatch.Status.APPLIED, result.errors
    assert result.counts == {
        "pupils": {"added": 1, "updated": 1, "unchanged": 0},
        "enrolments": {"added": 1, "updated": 1, "unchanged": 0},
        "parents": {"added": 2, "updated": 0, "unchanged": 0},
        "attendance_years_skipped": 1,  # the year at a school in another authority
        "marks": {"added": 18, "updated": 0, "unchanged": 0},
    }
    amelia = Pupil.objects.get(upn="R886200124001")
    assert (amelia.preferred_forename, amelia.eal, amelia.fsm, amelia.sen_support) == (
        "Millie",
        True,
        True,
        True,
    )
    assert (amelia.address_line_1, amelia.town, amelia.postcode) == (
        "12 Mill Lane",
        "Dartford",
        "DA1 1AA",
    )
    mother = amelia.parent_links.get()  # the doctor is a contact, not a parent
    assert (
        mother.parent.forename,
        mother.relationship,
        mother.parental_responsibility,
        mother.parent.postcode,
    ) == ("Jane", "Parent", True, "DA1 1AA")
    enrolment = Enrolment.objects.get(pupil=amelia, school=riverside)
    assert (enrolment.end_date, enrolment.year_group) == (date(2024, 9, 6), "5")
    codes = dict(((m.date, m.session), m.code) for m in Mark.objects.filter(pupil=amelia))
    assert codes[(date(2024, 3, 5), 0)] == "H"  # pre-2024 code on its date
    assert codes[(date(2024, 9, 5), 1)] == "C2"  # "t" in AttendanceMarks
    assert (date(2024, 9, 7), 0) not in codes  # the filler is no session
    harry = Pupil.objects.get(upn="E886200120005")
    assert harry.parent_links.get().relationship == "Carer"
    assert Enrolment.objects.get(pupil=harry).start_date == date(2024, 9, 2)


def test_resend_changes_nothing_and_a_lost_pupil_file_is_counted(pupils: object) -> None:
    run("ctf", "ctf.xml")
    assert run("ctf", "ctf.xml").status == ImportBatch.Status.UNCHANGED

    lost = run("ctf", "ctf_lost_pupil.xml")  # the same pupils, destination XXX/XXXX

    assert lost.counts["lost_pupils"] == 2
    assert lost.counts["marks"] == {"added": 0, "updated": 0, "unchanged": 18}
    assert lost.counts["pupils"] == {"added": 0, "updated": 0, "unchanged": 2}
    assert lost.counts["parents"] == {"added": 0, "updated": 0, "unchanged": 2}
    assert ImportBatch.objects.get(pk=lost.batch.pk).counts["lost_pupils"] == 2
    # Each pupil's leaving day at the source school, for the off-rolling signals (returns/),
    # kept out of the counts the school reads.
    leavers = lost.counts["_lost_pupil_leavers"]
    assert leavers["left_on"]["R886200124001"] == "2024-09-06"
    assert "lost pupil leavers" not in lost.summary().lower()


def test_totals_that_disagree_with_the_marks_refuse_the_file(pupils: object) -> None:
    result = run("ctf", "ctf_totals_mismatch.xml")

    assert result.status == ImportBatch.Status.REJECTED
    assert result.errors == [
        "line 103: pupil R886200124001, 2024: SessionsPossible is 12 but the AttendanceMarks "
        "give 10",
        "line 165: pupil E886200120005, 2024: SessionsAttended is 3 but the AttendanceMarks give 2",
    ]
    assert not Pupil.objects.filter(upn="E886200120005").exists()
    assert not Mark.objects.exists()


@pytest.mark.parametrize("name", ["ctf_billion_laughs.xml", "ctf_external_entity.xml"])
def test_hostile_xml_is_refused_before_anything_is_expanded(riverside: School, name: str) -> None:
    started = time.perf_counter()
    result = run("ctf", name)
    assert time.perf_counter() - started < 2
    assert result.status == ImportBatch.Status.REJECTED
    assert result.errors == [
        "line 2: the file contains a document type declaration (DTD), which a CTF never "
        "needs; refused for safety"
    ]


def test_xml_that_is_not_well_formed_names_its_line(riverside: School) -> None:
    result = import_run(kind="ctf", data=b"<CTfile>\n<Header>\n</CTfile>\n", filename="x.xml")
    assert result.errors[0].startswith("line 3: the file is not well-formed XML (mismatched tag")


def test_a_file_from_another_school_is_refused_for_a_school_upload(
    pupils: object, hilltop: School
) -> None:
    result = run("ctf", "ctf.xml", school=hilltop)
    assert result.errors == [
        "line 9: urn: '118001' is not your school (118002); you can only send your own "
        "school's rows"
    ]
    assert not Parent.objects.exists()


def test_an_unknown_source_school_is_refused(district: object) -> None:
    result = run("ctf", "ctf.xml")
    assert result.errors == [
        "line 9: Header/SourceSchool: no school has URN '118001' or LEA '886' Estab '2001'"
    ]


def test_a_character_that_is_no_code_on_its_date_is_refused(pupils: object) -> None:
    text = (DATA / "ctf.xml").read_text().replace("/\\HH--", "/\\tt--")  # C2 before 2024
    text = text.replace("<SessionsAuthorised>2</SessionsAuthorised>", "", 1)
    result = import_run(kind="ctf", data=text.encode(), filename="c2.xml")
    assert result.errors == [
        "line 100: pupil R886200124001, 2023: AttendanceMarks character 't' for 2024-03-05 AM "
        "is not a register code on that date (the pre-2024 code set applies)",
        "line 100: pupil R886200124001, 2023: AttendanceMarks character 't' for 2024-03-05 PM "
        "is not a register code on that date (the pre-2024 code set applies)",
    ]


@pytest.mark.parametrize(
    ("char", "code"),
    [
        ("e", "C1"),
        ("t", "C2"),
        ("j", "J1"),
        ("1", "Y1"),
        ("4", "Y4"),
        ("7", "Y7"),
        ("/", "/"),
        ("\\", "\\"),
        ("N", "N"),
        ("#", "#"),
    ],
)
def test_the_attendance_alphabet(char: str, code: str) -> None:
    errors: list[RowError] = []
    marks = expand_marks(
        date(2024, 9, 2), char + FILLER, upn="X", year="2024", line=1, errors=errors
    )
    assert errors == []
    assert marks == [(date(2024, 9, 2), 0, code)]
    assert CTF_MARK_CHARACTERS[FILLER] is None


def test_marks_run_am_then_pm_over_calendar_days() -> None:
    errors: list[RowError] = []
    marks = expand_marks(date(2024, 9, 6), "/N----L\\", upn="X", year="2024", line=1, errors=errors)
    assert marks == [
        (date(2024, 9, 6), 0, "/"),
        (date(2024, 9, 6), 1, "N"),
        (date(2024, 9, 9), 0, "L"),
        (date(2024, 9, 9), 1, "\\"),
    ]
    weekend = expand_marks(date(2024, 9, 6), "####", upn="X", year="2024", line=1, errors=errors)
    assert weekend == [(date(2024, 9, 6), 0, "#"), (date(2024, 9, 6), 1, "#")]  # Sat: filler
    expand_marks(date(2024, 9, 6), "/N-", upn="X", year="2024", line=7, errors=errors)
    assert errors == [
        RowError(7, "pupil X, 2024: AttendanceMarks has 3 characters; it needs two per day")
    ]
