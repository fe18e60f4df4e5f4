"""import_run / import_preview: one way in for every file, every outcome recorded."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command

from kpas.base.models import AuditEvent
from schools.imports.marks_csv import MarksImport
from schools.imports.services import import_preview, import_run
from schools.models import ImportBatch, Mark, School
from tests.schools.imports.conftest import DATA, run

pytestmark = pytest.mark.django_db


def test_a_file_path_or_bytes_is_accepted(pupils: object) -> None:
    by_path = import_run(kind="marks", file_path=str(DATA / "marks.csv"))
    assert by_path.batch is not None and by_path.batch.filename == "marks.csv"
    by_bytes = import_run(
        kind="marks", data=(DATA / "marks.csv").read_bytes(), filename="upload.csv", source="upload"
    )
    assert by_bytes.status == ImportBatch.Status.UNCHANGED
    assert by_bytes.batch is not None and by_bytes.batch.source == "upload"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "register", "data": b"x"},
        {"kind": "marks", "data": b"x", "file_path": "x"},
        {"kind": "marks"},
    ],
    ids=["unknown-kind", "both-inputs", "no-input"],
)
def test_wrong_calls_are_programming_errors(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        import_run(**kwargs)


def test_every_outcome_is_a_batch_and_an_audit_event(pupils: object) -> None:
    applied = run("marks", "marks.csv")
    unchanged = run("marks", "marks.csv")
    rejected = run("marks", "marks_bad.csv")

    statuses = [b.status for b in ImportBatch.objects.filter(kind="marks").order_by("pk")]
    assert statuses == ["applied", "unchanged", "rejected"]
    assert rejected.batch is not None and len(rejected.batch.errors) == 8
    assert applied.batch is not None and applied.batch.rows_total == 8
    assert applied.batch.rows_done == 8 and applied.batch.finished_at is not None
    actions = list(
        AuditEvent.objects.filter(object_type="schools.importbatch")
        .order_by("pk")
        .values_list("action", "object_id")
    )
    assert actions[-3:] == [
        ("import.applied", str(applied.batch.pk)),
        ("import.unchanged", str(unchanged.batch.pk)),
        ("import.rejected", str(rejected.batch.pk)),
    ]


def test_the_same_file_for_another_school_is_not_taken_as_a_resend(
    pupils: object, riverside: School
) -> None:
    data = b"urn,upn,date,session,mark\n118001,R886200124001,2024-09-02,AM,/\n"
    assert import_run(kind="marks", data=data, filename="a.csv").status == "applied"
    again = import_run(kind="marks", data=data, filename="a.csv", school=riverside)
    assert again.status == "applied"
    assert again.counts == {"marks": {"added": 0, "updated": 0, "unchanged": 1}}


def test_preview_writes_nothing_at_all(pupils: object) -> None:
    before = (ImportBatch.objects.count(), AuditEvent.objects.count())
    result = import_preview(kind="marks", file_path=DATA / "marks.csv")
    assert result.counts == {"marks": {"added": 8, "updated": 0, "unchanged": 0}}
    assert (ImportBatch.objects.count(), AuditEvent.objects.count()) == before
    assert not Mark.objects.exists()


def test_a_database_failure_applies_nothing_and_is_recorded(
    pupils: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import DatabaseError

    def fail(self: object, *, batch_id: int) -> None:
        raise DatabaseError("deadlock detected")

    monkeypatch.setattr(MarksImport, "apply", lambda self, batch: fail(self, batch_id=1))
    result = run("marks", "marks.csv")
    assert result.status == "rejected"
    assert result.errors == [
        "the file could not be applied (deadlock detected); nothing was changed"
    ]
    assert not Mark.objects.exists()


def test_commands_print_a_summary_or_every_error(pupils: object, capsys: Any) -> None:
    call_command("import_marks", str(DATA / "marks.csv"), "--dry-run")
    assert "Dry run" in capsys.readouterr().out
    assert not Mark.objects.exists()

    call_command("import_marks", str(DATA / "marks.csv"))
    assert "marks: 8 added, 0 updated, 0 unchanged" in capsys.readouterr().out

    with pytest.raises(CommandError, match="8 error"):
        call_command("import_marks", str(DATA / "marks_bad.csv"))
    err = capsys.readouterr().err
    assert "line 2: mark: 'H' is not a register code" in err
    assert "line 10: expected 5 fields" in err

    with pytest.raises(CommandError, match="no school has URN"):
        call_command("import_marks", str(DATA / "marks.csv"), "--school", "999999")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_schools", str(DATA / "missing.csv"))


@pytest.mark.parametrize(
    "command", ["import_schools", "import_calendar", "import_pupils", "import_ctf"]
)
def test_each_format_has_its_command(
    command: str, riverside: School, hilltop: School, capsys: Any
) -> None:
    name = {
        "import_schools": "schools.csv",
        "import_calendar": "calendar.csv",
        "import_pupils": "pupils.csv",
        "import_ctf": "ctf.xml",
    }[command]
    call_command(command, str(DATA / name), "--dry-run")
    assert capsys.readouterr().out.startswith("Dry run")


def test_an_upload_already_recorded_is_applied_into_its_own_batch(pupils: object) -> None:
    upload = ImportBatch.objects.create(
        kind="marks", filename="day.csv", source="upload", status=ImportBatch.Status.PROCESSING
    )
    stages: list[tuple[str, int]] = []

    result = import_run(
        kind="marks",
        file_path=DATA / "marks.csv",
        batch=upload,
        source="upload",
        progress=lambda stage, n: stages.append((stage, n)),
    )

    assert result.batch == upload
    upload.refresh_from_db()
    assert (upload.status, upload.counts["marks"]["added"]) == ("applied", 8)
    assert stages == [("checking", 0), ("applying", 8)]
    assert set(Mark.objects.values_list("source_import_id", flat=True)) == {upload.pk}
    assert ImportBatch.objects.filter(kind="marks").count() == 1
