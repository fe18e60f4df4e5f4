"""Issue 10 items 0, 3 and 4: a school's upload never takes over another school's pupil,
never learns where a pupil is, and no import silently opens a second single registration.
Identity, parent and enrolment changes keep their history (RecordChange)."""

from __future__ import annotations

from datetime import date

import pytest

from schools.imports.marks_store import NOT_ENROLLED_HERE
from schools.imports.pupils_store import NOT_YOUR_PUPIL, OTHER_REGISTRATION
from schools.imports.services import import_run
from schools.models import Enrolment, ImportBatch, Parent, Pupil, RecordChange, School
from tests.schools.imports.conftest import DATA

pytestmark = pytest.mark.django_db

NOAH = "T886200224004"  # on roll at Hilltop (118002) in the pupils fixture
UNKNOWN = "E886200120005"  # a valid UPN the authority does not hold
HEADER = "urn,upn,forename,surname,date_of_birth"


def pupils_csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + "\n" + "".join(f"{r}\n" for r in rows)).encode()


def test_a_school_cannot_enrol_another_schools_pupil(pupils: object, riverside: School) -> None:
    result = import_run(
        kind="pupils", data=pupils_csv(f"118001,{NOAH},Noah,Hart,2011-03-03"), school=riverside
    )
    assert result.status == ImportBatch.Status.REJECTED
    assert result.errors == [f"line 2: {NOT_YOUR_PUPIL.format(upn=NOAH)}"]
    assert "118002" not in result.errors[0] and "Hilltop" not in result.errors[0]
    assert not Enrolment.objects.filter(pupil__upn=NOAH, school=riverside).exists()


def test_a_school_cannot_rename_another_schools_pupil(pupils: object, riverside: School) -> None:
    data = pupils_csv(f"118001,{NOAH},Someone,Else,2012-01-01")
    assert import_run(kind="pupils", data=data, school=riverside).status == "rejected"
    noah = Pupil.objects.get(upn=NOAH)
    assert (noah.forename, noah.surname, noah.date_of_birth) == ("Noah", "Hart", date(2011, 3, 3))


def test_a_leaving_date_in_a_schools_own_pupils_file_moves_nobody(
    pupils: object, riverside: School
) -> None:
    data = pupils_csv(
        f"118001,{NOAH},Noah,Hart,2011-03-03,2024-09-02,2024-08-30",
        header=HEADER + ",start_date,previous_school_leaving_date",
    )
    result = import_run(kind="pupils", data=data, school=riverside)
    assert result.errors == [f"line 2: {NOT_YOUR_PUPIL.format(upn=NOAH)}"]


def test_a_school_may_add_its_own_new_pupils(pupils: object, riverside: School) -> None:
    result = import_run(
        kind="pupils", data=pupils_csv(f"118001,{UNKNOWN},Harry,Lane,2016-02-02"), school=riverside
    )
    assert result.status == ImportBatch.Status.APPLIED, result.errors
    assert Enrolment.objects.filter(pupil__upn=UNKNOWN, school=riverside).exists()


def test_identity_changes_to_a_schools_own_pupil_keep_their_history(
    pupils: object, riverside: School
) -> None:
    data = pupils_csv("118001,R886200124001,Amelia,Stone-Reed,2015-05-02")
    result = import_run(kind="pupils", data=data, school=riverside)
    assert result.status == ImportBatch.Status.APPLIED, result.errors
    changes = {
        (c.record, c.field): (c.before, c.after, c.source_import_id)
        for c in RecordChange.objects.filter(pupil__upn="R886200124001")
    }
    assert changes == {
        ("pupil", "surname"): ("Stone", "Stone-Reed", result.batch.pk),
        ("pupil", "date_of_birth"): ("2015-05-01", "2015-05-02", result.batch.pk),
    }


def test_a_marks_file_does_not_say_whether_a_pupil_exists_elsewhere(
    pupils: object, riverside: School
) -> None:
    data = (
        "urn,upn,date,session,mark\n"
        f"118001,{NOAH},2024-09-03,AM,/\n"
        f"118001,{UNKNOWN},2024-09-03,AM,/\n"
    ).encode()
    result = import_run(kind="marks", data=data, school=riverside)
    assert result.errors == [
        f"line 2: {NOT_ENROLLED_HERE.format(upn=NOAH, date='2024-09-03')}",
        f"line 3: {NOT_ENROLLED_HERE.format(upn=UNKNOWN, date='2024-09-03')}",
    ]


# --- item 4: the authority's import and a second single registration -----------------------
def test_the_authority_is_told_of_the_other_registration(pupils: object) -> None:
    data = pupils_csv(
        f"118001,{NOAH},Noah,Hart,2011-03-03,2024-09-02", header=HEADER + ",start_date"
    )
    result = import_run(kind="pupils", data=data)
    assert result.errors == [
        "line 2: " + OTHER_REGISTRATION.format(upn=NOAH, urn="118002", start=date(2023, 9, 1))
    ]
    assert Enrolment.objects.filter(pupil__upn=NOAH, end_date__isnull=True).count() == 1


def test_the_file_may_end_the_earlier_registration(pupils: object, hilltop: School) -> None:
    data = pupils_csv(
        f"118001,{NOAH},Noah,Hart,2011-03-03,2024-09-02,2024-08-30",
        header=HEADER + ",start_date,previous_school_leaving_date",
    )
    result = import_run(kind="pupils", data=data)
    assert result.status == ImportBatch.Status.APPLIED, result.errors
    earlier = Enrolment.objects.get(pupil__upn=NOAH, school=hilltop)
    assert earlier.end_date == date(2024, 8, 30)
    assert Enrolment.objects.get(pupil__upn=NOAH, school__urn="118001").end_date is None
    change = RecordChange.objects.get(record="enrolment", object_id=earlier.pk)
    assert (change.field, change.before, change.after) == ("end_date", "", "2024-08-30")


def test_a_leaving_date_after_the_new_start_is_refused(pupils: object) -> None:
    data = pupils_csv(
        f"118001,{NOAH},Noah,Hart,2011-03-03,2024-09-02,2024-09-10",
        header=HEADER + ",start_date,previous_school_leaving_date",
    )
    result = import_run(kind="pupils", data=data)
    assert result.status == ImportBatch.Status.REJECTED
    assert "previous_school_leaving_date: 2024-09-10" in result.errors[0]


def test_dual_registration_is_not_a_second_single_registration(pupils: object) -> None:
    data = pupils_csv(
        f"118001,{NOAH},Noah,Hart,2011-03-03,2024-09-02,dual_subsidiary",
        header=HEADER + ",start_date,registration",
    )
    assert import_run(kind="pupils", data=data).status == ImportBatch.Status.APPLIED


# --- the CTF ------------------------------------------------------------------------------
HILLTOP_SPELL = (
    "<School><LEA>886</LEA><Estab>2002</Estab><SchoolName>Hilltop Academy</SchoolName>"
    "<EntryDate>2023-09-01</EntryDate><LeavingDate>2024-08-30</LeavingDate></School>"
)


def ctf_for(upn: str, *, extra_history: str = "") -> bytes:
    text = (DATA / "ctf.xml").read_text(encoding="utf-8").replace("R886200124001", upn)
    return text.replace("<SchoolHistory>", "<SchoolHistory>" + extra_history, 1).encode()


def test_a_schools_ctf_cannot_take_over_another_schools_pupil_or_add_a_parent(
    pupils: object, riverside: School
) -> None:
    parents = Parent.objects.count()
    result = import_run(kind="ctf", data=ctf_for(NOAH), school=riverside)
    assert result.status == ImportBatch.Status.REJECTED
    assert any(NOT_YOUR_PUPIL.format(upn=NOAH) in e for e in result.errors)
    assert all("118002" not in e and "Hilltop" not in e for e in result.errors)
    assert Parent.objects.count() == parents
    assert not Pupil.objects.get(upn=NOAH).parent_links.exists()


def test_a_ctf_giving_the_previous_schools_leaving_date_moves_the_pupil(
    pupils: object, riverside: School, hilltop: School
) -> None:
    result = import_run(
        kind="ctf", data=ctf_for(NOAH, extra_history=HILLTOP_SPELL), school=riverside
    )
    assert result.status == ImportBatch.Status.APPLIED, result.errors
    assert Enrolment.objects.get(pupil__upn=NOAH, school=hilltop).end_date == date(2024, 8, 30)
    noah = Pupil.objects.get(upn=NOAH)
    history = {(c.record, c.field) for c in RecordChange.objects.filter(pupil=noah)}
    assert ("enrolment", "end_date") in history
    assert ("pupil", "forename") in history  # the file's names differ: kept as history
    assert ("pupil_parent", "parental_responsibility") in history  # the parent it added
