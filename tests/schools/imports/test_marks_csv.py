"""Register marks CSV: checked as a whole against the code set in force on each date,
applied atomically, idempotently, and every correction kept as a MarkChange."""

from __future__ import annotations

from datetime import date

import pytest

from schools.imports.services import import_preview, import_run
from schools.models import ImportBatch, Mark, MarkChange, School
from tests.schools.imports.conftest import DATA, run

pytestmark = pytest.mark.django_db
HEADER = "urn,upn,date,session,mark\n"


def marks() -> dict[tuple[str, date, int], str]:
    return {(m.pupil.upn, m.date, m.session): m.code for m in Mark.objects.select_related("pupil")}


def test_good_file_is_applied(pupils: object) -> None:
    result = run("marks", "marks.csv")  # with a BOM, CRLF line ends and a blank line

    assert result.status == ImportBatch.Status.APPLIED, result.errors
    assert result.counts == {"marks": {"added": 8, "updated": 0, "unchanged": 0}}
    assert marks()[("R886200124001", date(2024, 9, 2), 1)] == "\\"
    assert marks()[("V886200124003", date(2024, 9, 2), 0)] == "C2"
    assert set(Mark.objects.values_list("source_import_id", flat=True)) == {result.batch.pk}


def test_bad_file_is_refused_whole_with_every_line_named(pupils: object) -> None:
    result = run("marks", "marks_bad.csv")

    assert result.status == ImportBatch.Status.REJECTED
    assert result.errors == [
        "line 2: mark: 'H' is not a register code on 2024-09-02 (the 2024 code set applies)",
        "line 4: the mark for UPN R886200124001 on 2024-09-02 PM is already given on line 3 "
        "as '\\' and here as 'N'",
        "line 5: upn: no pupil has UPN 'E886200120005'",
        "line 6: upn: UPN T886200224004 is not enrolled at URN 118001 on 2024-09-02",
        "line 7: date: '02/09/2024' is not a date in the form YYYY-MM-DD",
        "line 8: session: 'EVENING' is not AM or PM",
        "line 9: urn: no school has URN '999999'",
        "line 10: expected 5 fields (one per header column), found 4",
    ]
    assert not Mark.objects.exists()


def test_identical_resend_changes_nothing(pupils: object) -> None:
    first = run("marks", "marks.csv")
    stamps = dict(Mark.objects.values_list("pupil_id", "recorded_at"))

    again = run("marks", "marks.csv")
    assert again.status == ImportBatch.Status.UNCHANGED
    assert again.counts == {"identical_to": first.batch.pk}

    # The same marks in other bytes are checked again, and still write nothing.
    text = (DATA / "marks.csv").read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    lines = [line for line in text.splitlines()[1:] if line]
    result = import_run(
        kind="marks", data=(HEADER + "\n".join(reversed(lines))).encode(), filename="again.csv"
    )
    assert result.counts == {"marks": {"added": 0, "updated": 0, "unchanged": 8}}
    assert not MarkChange.objects.exists()
    assert dict(Mark.objects.values_list("pupil_id", "recorded_at")) == stamps
    assert set(Mark.objects.values_list("source_import_id", flat=True)) == {first.batch.pk}


def test_a_correction_updates_the_mark_and_keeps_the_earlier_entry(pupils: object) -> None:
    run("marks", "marks.csv")
    result = run("marks", "marks_correction.csv")

    assert result.counts == {"marks": {"added": 0, "updated": 2, "unchanged": 6}}
    assert marks()[("F886200124002", date(2024, 9, 2), 0)] == "I"
    changes = MarkChange.objects.order_by("session")
    assert [
        (c.pupil.upn, c.session, c.previous_code, c.new_code, c.source_import_id) for c in changes
    ] == [
        ("F886200124002", 0, "N", "I", result.batch.pk),
        ("F886200124002", 1, "N", "I", result.batch.pk),
    ]


@pytest.mark.parametrize(
    ("code", "day", "accepted"),
    [
        ("H", "2024-03-01", True),  # authorised holiday: pre-2024 set
        ("H", "2024-09-02", False),
        ("C2", "2024-09-02", True),  # part-time timetable: 2024 set
        ("C2", "2024-03-01", False),
        ("C2", "2024-08-18", False),  # the day before the 2024 set applies
        ("C2", "2024-08-19", True),
    ],
    ids=["H-pre-2024", "H-2024", "C2-2024", "C2-pre-2024", "C2-18-Aug", "C2-19-Aug"],
)
def test_the_code_set_is_chosen_by_date(
    pupils: object, code: str, day: str, accepted: bool
) -> None:
    data = f"{HEADER}118001,R886200124001,{day},AM,{code}\n".encode()
    result = import_run(kind="marks", data=data, filename="one.csv")
    assert (result.status == ImportBatch.Status.APPLIED) is accepted, result.errors
    if not accepted:
        set_name = "2024" if day >= "2024-08-19" else "pre-2024"
        assert result.errors == [
            f"line 2: mark: '{code}' is not a register code on {day} "
            f"(the {set_name} code set applies)"
        ]


def test_a_mark_before_the_enrolment_starts_is_refused(pupils: object) -> None:
    data = f"{HEADER}118001,R886200124001,2023-08-31,AM,/\n".encode()
    result = import_run(kind="marks", data=data, filename="early.csv")
    assert result.errors == [
        "line 2: upn: UPN R886200124001 is not enrolled at URN 118001 on 2023-08-31"
    ]


def test_over_long_values_are_row_errors(pupils: object) -> None:
    data = f"{HEADER}1180011180011,R886200124001XYZ,2024-09-02,AM,/\n".encode()
    result = import_run(kind="marks", data=data, filename="long.csv")
    assert result.errors == [
        "line 2: upn: no pupil has UPN 'R886200124001XYZ'",
        "line 2: urn: no school has URN '1180011180011'",
    ]


def test_the_same_mark_twice_is_harmless(pupils: object) -> None:
    row = "118001,R886200124001,2024-09-02,AM,/\n"
    result = import_run(kind="marks", data=(HEADER + row + row).encode(), filename="twice.csv")
    assert result.counts == {"marks": {"added": 1, "updated": 0, "unchanged": 0}}


def test_a_school_uploading_another_schools_rows_is_refused(
    pupils: object, riverside: School
) -> None:
    result = run("marks", "marks.csv", school=riverside)
    assert result.status == ImportBatch.Status.REJECTED
    assert result.errors == [
        f"line {n}: urn: '118002' is not your school (118001); you can only send your own "
        "school's rows"
        for n in (9, 10)
    ]
    assert not Mark.objects.exists()
    assert run("marks", "marks_correction.csv", school=riverside).status == "rejected"


def test_preview_says_what_would_change_and_writes_nothing(pupils: object) -> None:
    run("marks", "marks.csv")
    batches = ImportBatch.objects.count()

    result = import_preview(kind="marks", file_path=DATA / "marks_correction.csv")

    assert result.status == "previewed"
    assert result.counts == {"marks": {"added": 0, "updated": 2, "unchanged": 6}}
    assert "Dry run" in result.summary()
    assert ImportBatch.objects.count() == batches
    assert not MarkChange.objects.exists()
    assert marks()[("F886200124002", date(2024, 9, 2), 0)] == "N"


def test_preview_of_a_bad_file_lists_the_errors(pupils: object) -> None:
    result = import_run(kind="marks", file_path=DATA / "marks_bad.csv", dry_run=True)
    assert result.status == ImportBatch.Status.REJECTED
    assert len(result.errors) == 8
    assert not ImportBatch.objects.filter(kind="marks").exists()
