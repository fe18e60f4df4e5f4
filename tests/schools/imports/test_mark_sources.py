"""Issue 10 items 8 and 13: marks on days the term dates do not know are accepted with a
warning naming their lines (DOMAIN §13, the lead's reading); a CTF's marks never replace the
school's own register (DOMAIN §15) and every mark names the file it came from."""

from __future__ import annotations

from datetime import date

import pytest

from schools.imports.services import import_run
from schools.models import ImportBatch, Mark, MarkChange, School
from tests.schools.imports.conftest import run

pytestmark = pytest.mark.django_db

AMELIA = "R886200124001"


def marks(*rows: str) -> bytes:
    return ("urn,upn,date,session,mark\n" + "".join(f"{r}\n" for r in rows)).encode()


def test_marks_on_a_day_the_term_dates_do_not_know_are_applied_with_a_warning(
    pupils: object, riverside: School
) -> None:
    assert run("calendar", "calendar.csv").status == "applied"
    data = marks(
        f"118001,{AMELIA},2024-09-12,AM,/",  # a school day
        f"118001,{AMELIA},2024-09-13,AM,/",  # the school's INSET day
        f"118001,{AMELIA},2024-09-13,PM,/",
        f"118001,{AMELIA},2024-10-28,AM,#",  # half term, but no possible session: fine
    )
    result = import_run(kind="marks", data=data, school=riverside)
    assert result.status == ImportBatch.Status.APPLIED, result.errors
    assert Mark.objects.filter(pupil__upn=AMELIA, date=date(2024, 9, 13)).count() == 2
    assert len(result.warnings) == 1
    warning = result.warnings[0]
    assert warning.startswith("line 3: date 2024-09-13 (Friday): 2 possible-session mark(s)")
    assert "line(s) 3, 4" in warning
    assert result.batch is not None and result.batch.warnings == result.warnings


def test_a_later_file_still_warns_about_a_day_already_held(
    pupils: object, riverside: School
) -> None:
    # The rules count a marked day as a school day (school_calendar); the warning is about the
    # term dates, so it must not vanish once the first file's marks are stored.
    assert run("calendar", "calendar.csv").status == "applied"
    first = import_run(
        kind="marks", data=marks(f"118001,{AMELIA},2024-09-13,AM,/"), school=riverside
    )
    assert first.status == ImportBatch.Status.APPLIED and len(first.warnings) == 1
    later = import_run(
        kind="marks", data=marks(f"118001,{AMELIA},2024-09-13,PM,/"), school=riverside
    )
    assert later.status == ImportBatch.Status.APPLIED, later.errors
    assert len(later.warnings) == 1 and "2024-09-13" in later.warnings[0]


def test_the_preview_shows_the_same_warning(pupils: object, riverside: School) -> None:
    assert run("calendar", "calendar.csv").status == "applied"
    data = marks(f"118001,{AMELIA},2024-10-29,AM,O")  # half term
    result = import_run(kind="marks", data=data, school=riverside, dry_run=True)
    assert result.status == "previewed" and len(result.warnings) == 1
    assert "2024-10-29" in result.warnings[0]


def test_a_ctf_fills_empty_sessions_and_never_replaces_the_schools_marks(
    pupils: object, riverside: School
) -> None:
    own = import_run(
        kind="marks",
        data=marks(f"118001,{AMELIA},2024-09-02,AM,/", f"118001,{AMELIA},2024-09-03,AM,/"),
    )
    assert own.status == "applied", own.errors
    result = run("ctf", "ctf.xml")  # gives 2024-09-02 AM '/' and 2024-09-03 AM 'I'
    assert result.status == ImportBatch.Status.APPLIED, result.errors
    kept = Mark.objects.get(pupil__upn=AMELIA, date=date(2024, 9, 3), session=0)
    assert kept.code == "/" and kept.source_import_id == own.batch.pk  # type: ignore[union-attr]
    assert not MarkChange.objects.exists()
    assert result.counts["marks"]["updated"] == 0
    assert result.counts["marks"]["kept_register_mark"] == 1
    assert len(result.warnings) == 1
    assert "the file gives 'I' for 2024-09-03 AM" in result.warnings[0]
    assert "register has '/'" in result.warnings[0]
    filled = Mark.objects.get(pupil__upn=AMELIA, date=date(2024, 9, 3), session=1)
    assert filled.code == "I"
    assert filled.source_import_id == result.batch.pk  # type: ignore[union-attr]


def test_every_mark_and_correction_names_its_source(pupils: object) -> None:
    first = run("marks", "marks.csv")
    second = run("marks", "marks_correction.csv")
    assert second.status == "applied", second.errors
    kinds = set(Mark.objects.values_list("source_import__kind", flat=True))
    assert kinds == {"marks"} and not Mark.objects.filter(source_import__isnull=True).exists()
    assert MarkChange.objects.exists()
    assert set(MarkChange.objects.values_list("source_import", flat=True)) == {
        second.batch.pk  # type: ignore[union-attr]
    }
    assert first.batch is not None
