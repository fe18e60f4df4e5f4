"""`import_parents` (issue 11 item 1): validated whole, atomic, idempotent, `line N: reason`;
a parent matched on the authority's reference and linked to several pupils; only the
columns the file has are written."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from schools.imports.services import import_run
from schools.models import Parent, PupilParent
from tests.factories import SchoolFactory
from tests.factories.register import pupil_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def siblings():  # type: ignore[no-untyped-def]
    school = SchoolFactory()
    return pupil_at(school, born=date(2015, 3, 1)), pupil_at(school, born=date(2017, 6, 1))


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_one_parent_linked_to_two_siblings_and_a_resend_changes_nothing(siblings):  # type: ignore[no-untyped-def]
    older, younger = siblings
    data = _csv(
        "upn,parent_ref,forename,surname,title,lives_with_pupil,postcode",
        f"{older.upn},P-1,Alex,Pupil,Ms,Y,ME1 1AA",
        f"{younger.upn},P-1,Alex,Pupil,Ms,N,ME1 1AA",
        f"{younger.upn},P-2,Sam,Pupil,Mr,,",
    )
    first = import_run(kind="parents", data=data)
    assert first.status == "applied", first.errors
    alex = Parent.objects.get(parent_ref="P-1")
    assert sorted(alex.child_links.values_list("pupil__upn", "lives_with_pupil")) == sorted(
        [(older.upn, True), (younger.upn, False)]
    )
    assert Parent.objects.count() == 2 and PupilParent.objects.count() == 3
    again = import_run(kind="parents", data=data)
    assert again.status == "unchanged"
    changed = data.replace(b"ME1 1AA", b"ME2 2BB")
    import_run(kind="parents", data=changed)
    assert Parent.objects.get(parent_ref="P-1").postcode == "ME2 2BB"
    # A file without addresses does not blank them (only the columns the file has).
    import_run(
        kind="parents", data=_csv("upn,parent_ref,forename,surname", f"{older.upn},P-1,Alex,Pupil")
    )
    assert Parent.objects.get(parent_ref="P-1").postcode == "ME2 2BB"


def test_a_bad_file_is_refused_whole_with_its_lines(siblings):  # type: ignore[no-untyped-def]
    older, _ = siblings
    data = _csv(
        "upn,parent_ref,forename,surname,email",
        f"{older.upn},P-1,Alex,Pupil,alex@example.test",
        "A999999999999,P-2,Sam,Pupil,",
        f"{older.upn},P-3,,Pupil,not-an-email",
        f"{older.upn},P-1,Alex,Pupil,alex@example.test",
    )
    result = import_run(kind="parents", data=data)
    assert result.status == "rejected"
    lines = [e.split(":")[0] for e in result.errors]
    assert lines == ["line 3", "line 4", "line 4", "line 5"]
    assert not Parent.objects.exists()


def test_the_command(siblings, tmp_path, capsys):  # type: ignore[no-untyped-def]
    older, _ = siblings
    path = tmp_path / "parents.csv"
    path.write_bytes(_csv("upn,parent_ref,forename,surname", f"{older.upn},P-9,Kim,Pupil"))
    call_command("import_parents", str(path))
    assert Parent.objects.get(parent_ref="P-9").child_links.get().pupil == older
    path.write_bytes(_csv("upn,parent_ref,forename,surname", "X,P-9,Kim,Pupil"))
    with pytest.raises(CommandError):
        call_command("import_parents", str(path))
