"""Issue 9 item 1: the register's demo goes through the import service production uses."""

from __future__ import annotations

import pytest

from schools.models import ImportBatch, Mark, Parent, Pupil

pytestmark = pytest.mark.django_db


def test_the_demo_register_is_imported_file_by_file(demo_world) -> None:  # type: ignore[no-untyped-def]
    batches = ImportBatch.objects.filter(source="demo")
    assert set(batches.values_list("kind", flat=True)) == {
        "schools",
        "calendar",
        "pupils",
        "ctf",
        "marks",
    }
    assert set(batches.values_list("status", flat=True)) == {ImportBatch.Status.APPLIED}
    assert Mark.objects.exists()
    assert not Mark.objects.filter(source_import__isnull=True).exists()
    assert set(Mark.objects.values_list("source_import__kind", flat=True)) == {"marks"}
    assert Pupil.objects.count() == 24 and Parent.objects.count() == 38


def test_a_ctf_of_contacts_only_adds_the_parents(demo_world) -> None:  # type: ignore[no-untyped-def]
    """A CTF without attendance (the demo's contacts files) has no marks to compare."""
    ctf = (
        ImportBatch.objects.filter(source="demo", kind="ctf")
        .exclude(filename="demo-lost-pupil.xml")  # returns/demo_offrolling.py: a pupil leaving
        .first()
    )
    assert ctf is not None and ctf.counts["parents"]["added"] > 0 and ctf.warnings == []
