"""import_penalty_history: validated whole, atomic, idempotent, `line N: reason` (issue 11
item 2; DESIGN "How data flows" 1)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from penalties import history_import as hi
from penalties.history_import import history_parse, history_store
from penalties.models import PenaltyNotice
from schools.models import Parent, PupilParent
from tests.factories.register import pupil_at, school_with_terms

TODAY = date(2026, 1, 8)
HEADER = "reference,upn,parent_ref,case,issued_on,status"
FULL = HEADER + ",paid_on,amount_paid,convicted,withdrawn_ground,local_authority"


def parse(text: str, today: date = TODAY) -> tuple[list[Any], list[str]]:
    rows, errors = history_parse(text.encode(), today=today, default_la="886")
    return rows, [str(e) for e in errors]


# --- parsing: pure, every bad row reported ----------------------------------------------------
def test_good_rows_parse_to_plain_values() -> None:
    rows, errors = parse(
        FULL + "\n"
        "PN-1,a886123425001,P-1,Leave,2025-03-10,paid,2025-03-20,80,,,\n"
        "PN-2,A886123425001,P-1,unauthorised,2025-06-01,unpaid,,,Y,,212\n"
        "PN-3,A886123425001,P-1,exclusion,2025-07-01,withdrawn,,,,wrong_person,\n"
        "NTI-1,A886123425001,P-1,notice_to_improve,2025-05-01,issued,,,,,\n"
        "PN-4,A886123425001,P-1,leave,2025-08-01,paid,2025-08-02,160.5,,,\n"
    )
    assert errors == []
    first = rows[0]
    assert (first.upn, first.case, first.amount_paid, first.local_authority) == (
        "A886123425001",
        "leave",
        8000,
        "886",
    )
    assert (rows[1].convicted, rows[1].local_authority) == (True, "212")
    assert rows[2].withdrawn_ground == "wrong_person"
    assert rows[4].amount_paid == 16050


BAD_ROWS = [
    (
        "PN-1,U,P,holiday,2025-03-10,paid",
        hi.BAD_CHOICE.format(
            column="case",
            value="holiday",
            choices="leave, unauthorised, exclusion, notice_to_improve",
        ),
    ),
    ("PN-1,U,P,leave,2026-01-09,paid", hi.IN_FUTURE.format(column="issued_on", value="2026-01-09")),
    (
        "PN-1,U,P,leave,10/03/2025,paid",
        "issued_on: '10/03/2025' is not a date in the form YYYY-MM-DD",
    ),
    (
        "PN-1,U,P,leave,2025-03-10,cancelled",
        hi.BAD_CHOICE.format(
            column="status", value="cancelled", choices="issued, paid, unpaid, withdrawn"
        ),
    ),
    ("PN-1,U,P,leave,2025-03-10,withdrawn", hi.GROUND_REQUIRED),
    ("PN-1,U,,leave,2025-03-10,paid", "parent_ref: is required"),
]


@pytest.mark.parametrize(("row", "reason"), BAD_ROWS, ids=[r[1][:30] for r in BAD_ROWS])
def test_each_bad_row_is_named_by_its_line(row: str, reason: str) -> None:
    _, errors = parse(f"{HEADER}\nPN-0,U,P,leave,2025-03-10,paid\n{row}\n")
    assert errors == [f"line 3: {reason}"]


OPTIONAL_BAD = [
    (",80.123,,,", hi.BAD_AMOUNT.format(value="80.123")),
    (",-5,,,", hi.BAD_AMOUNT.format(value="-5")),
    (",£80,,,", hi.BAD_AMOUNT.format(value="£80")),
    (",,,,88", hi.BAD_LA.format(value="88")),
    (",,,material_error,", hi.GROUND_NOT_WITHDRAWN),
    ("2026-02-01,,,,", hi.IN_FUTURE.format(column="paid_on", value="2026-02-01")),
    ("2025-03-01,,,,", hi.PAID_BEFORE_ISSUED.format(paid="2025-03-01", issued="2025-03-10")),
    (",,maybe,,", "convicted: 'maybe' is not one of Y, N, true, false, 1, 0 or blank"),
]


@pytest.mark.parametrize(("tail", "reason"), OPTIONAL_BAD, ids=[r[1][:30] for r in OPTIONAL_BAD])
def test_optional_columns_are_checked(tail: str, reason: str) -> None:
    _, errors = parse(f"{FULL}\nPN-1,U,P,leave,2025-03-10,paid,{tail}\n")
    assert errors == [f"line 2: {reason}"]


def test_every_bad_row_is_reported_not_only_the_first() -> None:
    _, errors = parse(
        f"{HEADER}\nPN-1,U,P,leave,2025-03-10,withdrawn\nPN-2,U,P,x,2025-03-10,paid\n"
        "PN-1,U,P,leave,2025-03-11,paid\nNTI,U,P,notice_to_improve,2025-03-10,paid\n"
    )
    assert [e.split(":")[0] for e in errors] == ["line 2", "line 3", "line 5"]
    # line 4 repeats a reference whose first row was refused: reported on line 2 only
    _, errors = parse(f"{HEADER}\nPN-1,U,P,leave,2025-03-10,paid\nPN-1,U,P,leave,2025-03-11,paid\n")
    assert errors == ["line 3: " + hi.DUPLICATE.format(value="PN-1", first=2)]


def test_a_missing_column_refuses_the_file() -> None:
    _, errors = parse("reference,upn,parent_ref,case,issued_on\nPN-1,U,P,leave,2025-03-10\n")
    assert errors == ["line 1: header: missing column(s): status"]


# --- storing: set-based, atomic, idempotent ---------------------------------------------------
@pytest.fixture
def family(db):  # type: ignore[no-untyped-def]
    school = school_with_terms()
    child, sibling = pupil_at(school), pupil_at(school)
    mother = Parent.objects.create(forename="Ann", surname="Smith", parent_ref="P-1")
    father = Parent.objects.create(forename="Bob", surname="Smith", parent_ref="P-2")
    for pupil in (child, sibling):
        for parent in (mother, father):
            PupilParent.objects.create(pupil=pupil, parent=parent)
    return child, sibling, mother, father


def csv_for(child, sibling, status: str = "paid") -> bytes:  # type: ignore[no-untyped-def]
    return (
        f"{FULL}\n"
        f"PN-1,{child.upn},P-1,leave,2025-03-10,{status},2025-03-20,80,,,\n"
        f"PN-2,{child.upn},P-2,leave,2025-03-10,unpaid,,,Y,,\n"
        f"PN-3,{sibling.upn},P-1,unauthorised,2025-06-01,withdrawn,,,,material_error,212\n"
        f"NTI-1,{child.upn},P-1,notice_to_improve,2025-05-01,issued,,,,,\n"
    ).encode()


def store(data: bytes, **kw: Any) -> hi.HistoryOutcome:
    rows, errors = history_parse(data, today=TODAY, default_la="886")
    assert errors == []
    return history_store(rows, **kw)


def test_import_adds_then_a_resend_changes_nothing(family, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    child, sibling, mother, _ = family
    outcome = store(csv_for(child, sibling))
    assert (outcome.added, outcome.updated, outcome.unchanged, outcome.errors) == (4, 0, 0, None)
    notice = PenaltyNotice.objects.get(reference="PN-1")
    assert (notice.pupil, notice.parent, notice.amount_paid, notice.source) == (
        child,
        mother,
        8000,
        "imported",
    )
    assert PenaltyNotice.objects.get(reference="PN-3").local_authority == "212"
    stamp = notice.updated_at
    again = store(csv_for(child, sibling))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
    assert PenaltyNotice.objects.get(reference="PN-1").updated_at == stamp


def test_a_changed_row_updates_by_reference(family) -> None:  # type: ignore[no-untyped-def]
    child, sibling, *_ = family
    store(csv_for(child, sibling, status="issued"))
    outcome = store(csv_for(child, sibling, status="paid"))
    assert (outcome.added, outcome.updated, outcome.unchanged) == (0, 1, 3)
    assert PenaltyNotice.objects.get(reference="PN-1").status == "paid"
    assert PenaltyNotice.objects.count() == 4


def test_unknown_pupil_or_parent_refuses_the_whole_file(family) -> None:  # type: ignore[no-untyped-def]
    child, sibling, *_ = family
    data = csv_for(child, sibling) + b"PN-9,A999999999999,P-1,leave,2025-03-10,paid,,,,,\n"
    data += f"PN-10,{child.upn},P-404,leave,2025-03-10,paid,,,,,\n".encode()
    outcome = store(data)
    assert [str(e) for e in outcome.errors or []] == [
        "line 6: " + hi.UNKNOWN_PUPIL.format(value="A999999999999"),
        "line 7: " + hi.UNKNOWN_PARENT.format(value="P-404"),
    ]
    assert PenaltyNotice.objects.count() == 0  # the good rows were not half-applied


def test_a_notice_issued_here_is_not_overwritten(family) -> None:  # type: ignore[no-untyped-def]
    child, sibling, mother, _ = family
    PenaltyNotice.objects.create(
        reference="PN-1",
        pupil=child,
        parent=mother,
        case="leave",
        issued_on=date(2025, 3, 10),
        local_authority="886",
        source="issued",
    )
    outcome = store(csv_for(child, sibling))
    assert [str(e) for e in outcome.errors or []] == [
        "line 2: " + hi.ISSUED_HERE.format(value="PN-1")
    ]
    assert PenaltyNotice.objects.count() == 1


def test_the_store_is_set_based(family) -> None:  # type: ignore[no-untyped-def]
    child, *_ = family
    lines = [f"PN-{i},{child.upn},P-1,leave,2025-03-10,paid,,,,," for i in range(300)]
    rows, _ = history_parse(
        ("\n".join([FULL, *lines]) + "\n").encode(), today=TODAY, default_la="886"
    )
    with CaptureQueriesContext(connection) as queries:
        outcome = history_store(rows)
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    inserts = [q["sql"] for q in queries if q["sql"].startswith("INSERT")]
    assert len(reads) == 3  # pupils, parents, existing notices: never a query per row
    assert len(inserts) <= 300 // 50  # bulk batches (SQLite caps the variables per statement)
    assert outcome.added == 300


def test_dry_run_writes_nothing(family) -> None:  # type: ignore[no-untyped-def]
    child, sibling, *_ = family
    outcome = store(csv_for(child, sibling), dry_run=True)
    assert outcome.added == 4
    assert PenaltyNotice.objects.count() == 0


# --- the command --------------------------------------------------------------------------------
def test_command_imports_and_reports(family, tmp_path: Path, capsys, settings) -> None:  # type: ignore[no-untyped-def]
    child, sibling, *_ = family
    settings.AUTHORITY_LA_CODE = "212"
    path = tmp_path / "history.csv"
    path.write_bytes(csv_for(child, sibling))
    call_command("import_penalty_history", str(path))
    assert "4 added, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert PenaltyNotice.objects.get(reference="PN-1").local_authority == "212"


def test_command_refuses_with_every_line(family, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    child, sibling, *_ = family
    path = tmp_path / "history.csv"
    path.write_bytes(
        csv_for(child, sibling) + b"PN-9,A999999999999,P-1,leave,2099-03-10,paid,,,,,\n"
    )
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_penalty_history", str(path))
    assert "line 6: issued_on: 2099-03-10 is in the future" in capsys.readouterr().err
    assert PenaltyNotice.objects.count() == 0
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_penalty_history", str(tmp_path / "missing.csv"))
