"""Schools CSV: upsert by URN, refused whole with every bad line named."""

from __future__ import annotations

import pytest
from django.test import override_settings

from schools.imports import common
from schools.imports.services import import_run
from schools.models import ImportBatch, School
from tests.schools.imports.conftest import DATA, run

pytestmark = pytest.mark.django_db


def test_good_file_adds_and_updates_schools(riverside: School) -> None:
    result = run("schools", "schools.csv")

    assert result.status == ImportBatch.Status.APPLIED, result.errors
    assert result.counts == {"schools": {"added": 2, "updated": 1, "unchanged": 0}}
    riverside.refresh_from_db()
    assert riverside.name == "Riverside Primary School"
    meadow = School.objects.get(urn="118010")
    assert (meadow.phase, meadow.school_type, meadow.district.name) == (
        "primary",
        "maintained",
        "Dartford",
    )  # labels and names in any case
    assert School.objects.get(urn="118011").estab == "4011"


def test_bad_file_is_refused_whole_with_every_line_named(riverside: School) -> None:
    result = run("schools", "schools_bad.csv")

    assert result.status == ImportBatch.Status.REJECTED
    assert result.errors == [
        "line 2: urn: '11801X' is not a URN (6 to 8 digits)",
        "line 3: name: is required",
        "line 4: phase: 'college' is not one of nursery, primary, secondary, all_through, "
        "special, pru",
        "line 5: district: no district is named 'Atlantis'",
        "line 7: expected 5 fields (one per header column), found 6",
    ]
    assert School.objects.count() == 1  # the good rows were not applied either
    assert ImportBatch.objects.get().errors == result.errors


def test_identical_resend_changes_nothing(riverside: School) -> None:
    run("schools", "schools.csv")
    again = run("schools", "schools.csv")
    assert again.status == ImportBatch.Status.UNCHANGED

    # The same content in other bytes goes through the checks and changes nothing either.
    text = (DATA / "schools.csv").read_text()
    reordered = text.splitlines()[0] + "\n" + "\n".join(reversed(text.splitlines()[1:])) + "\n"
    result = import_run(kind="schools", data=reordered.encode(), filename="again.csv")
    assert result.counts == {"schools": {"added": 0, "updated": 0, "unchanged": 3}}


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("urn,name,phase,district", "line 1: header: missing column(s): type"),
        ("urn,name,phase,type,district,head", "line 1: header: unknown column(s): 'head'"),
        ("urn,name,name,phase,type,district", "line 1: header: column(s) named more than once"),
    ],
    ids=["missing", "unknown", "twice"],
)
def test_header_is_checked(district: object, header: str, message: str) -> None:
    result = import_run(kind="schools", data=f"{header}\n".encode(), filename="h.csv")
    assert result.status == ImportBatch.Status.REJECTED
    assert result.errors[0].startswith(message)


def test_text_that_is_not_utf8_is_reported_with_its_line(district: object) -> None:
    data = "urn,name,phase,type,district\n118020,Zoë School,primary,maintained,Dartford\n"
    result = import_run(kind="schools", data=data.encode("cp1252"), filename="w.csv")
    assert result.errors == [f"line 2: {common.NOT_UTF8.format(byte=0xEB)}"]


def test_a_file_over_the_size_limit_is_refused_unread(district: object) -> None:
    with override_settings(MAX_IMPORT_FILE_BYTES=10):
        result = run("schools", "schools.csv")
    assert result.status == ImportBatch.Status.REJECTED
    assert "the largest file accepted is 10 bytes" in result.errors[0]


def test_a_school_may_only_send_its_own_row(riverside: School) -> None:
    result = run("schools", "schools.csv", school=riverside)
    assert result.status == ImportBatch.Status.REJECTED
    assert [e.split(":")[0] for e in result.errors] == ["line 3", "line 4"]
    assert "is not your school (118001)" in result.errors[0]


def test_state_funding_follows_the_type(riverside: School) -> None:
    """Issue 10 item 14: an independent school is not state funded; the import sets it from
    the type (DOMAIN §1), including when a school's type changes."""
    body = (
        b"urn,name,phase,type,district\n"
        b"118020,Weald Hall School,secondary,independent,Dartford\n"
        b"118001,Riverside Primary School,primary,Independent,Dartford\n"
    )
    result = import_run(kind="schools", data=body)
    assert result.status == ImportBatch.Status.APPLIED, result.errors
    assert School.objects.get(urn="118020").state_funded is False
    riverside.refresh_from_db()
    assert riverside.state_funded is False
    back = (
        "urn,name,phase,type,district\n118001,Riverside Primary School,primary,academy,Dartford\n"
    )
    assert import_run(kind="schools", data=back.encode()).status == ImportBatch.Status.APPLIED
    riverside.refresh_from_db()
    assert riverside.state_funded is True
