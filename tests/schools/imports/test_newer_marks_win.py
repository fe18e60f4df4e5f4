"""Issue 15 item 1: a file applied late (its worker lost, its task redelivered an hour
later) never undoes the marks of a file received after it (ADR 0013)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from schools.imports.marks_csv import NEWER_MARKS
from schools.imports.services import import_run
from schools.models import ImportBatch, Mark, School

pytestmark = pytest.mark.django_db

AMELIA = "R886200124001"


def marks(*rows: str) -> bytes:
    return ("urn,upn,date,session,mark\n" + "".join(f"{r}\n" for r in rows)).encode()


def code(day: int, session: int) -> str:
    return Mark.objects.get(pupil__upn=AMELIA, date=date(2024, 9, day), session=session).code


def test_a_late_older_file_never_undoes_a_newer_correction(
    pupils: object, riverside: School
) -> None:
    first = import_run(
        kind="marks",
        data=marks(f"118001,{AMELIA},2024-09-02,AM,/", f"118001,{AMELIA},2024-09-02,PM,/"),
        school=riverside,
    )
    assert first.status == "applied", first.errors
    ImportBatch.objects.filter(pk=first.batch.pk).update(  # type: ignore[union-attr]
        created_at=timezone.now() - timedelta(hours=2)
    )
    # File A is received (its task then lost) ...
    late = ImportBatch.objects.create(
        kind="marks",
        school=riverside,
        filename="a.csv",
        status=ImportBatch.Status.PROCESSING,
        source="upload",
        created_at=timezone.now() - timedelta(hours=1),
    )
    # ... file B, received after it, corrects the morning and is applied.
    newer = import_run(
        kind="marks", data=marks(f"118001,{AMELIA},2024-09-02,AM,I"), school=riverside
    )
    assert newer.status == "applied" and code(2, 0) == "I"
    # A's task runs an hour late: B's correction survives; A's other changes are applied.
    result = import_run(
        kind="marks",
        data=marks(
            f"118001,{AMELIA},2024-09-02,AM,M",
            f"118001,{AMELIA},2024-09-02,PM,L",
            f"118001,{AMELIA},2024-09-03,AM,/",
        ),
        school=riverside,
        batch=late,
    )
    assert result.status == "applied", result.errors
    assert code(2, 0) == "I"  # B's correction kept
    assert code(2, 1) == "L" and code(3, 0) == "/"
    assert result.counts["marks"] == {
        "added": 1,
        "updated": 1,
        "unchanged": 0,
        "not_applied_newer": 1,
    }
    late.refresh_from_db()
    assert NEWER_MARKS.format(count=1) in late.warnings
    assert "1 mark(s) were not applied because newer marks arrived" in late.warnings[0]


def test_a_file_received_later_still_corrects_an_older_one(
    pupils: object, riverside: School
) -> None:
    import_run(kind="marks", data=marks(f"118001,{AMELIA},2024-09-02,AM,/"), school=riverside)
    result = import_run(
        kind="marks", data=marks(f"118001,{AMELIA},2024-09-02,AM,I"), school=riverside
    )
    assert result.counts["marks"] == {"added": 0, "updated": 1, "unchanged": 0}
    assert code(2, 0) == "I" and NEWER_MARKS.format(count=1) not in result.warnings
