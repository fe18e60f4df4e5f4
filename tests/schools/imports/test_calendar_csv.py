"""Calendar CSV: the authority's term dates (empty urn) and schools' closures."""

from __future__ import annotations

from datetime import date

import pytest

from schools.imports.calendar_csv import AUTHORITY_ONLY
from schools.imports.services import import_run
from schools.models import ImportBatch, School, TermDate
from tests.schools.imports.conftest import run

pytestmark = pytest.mark.django_db


def test_good_file_adds_term_dates_and_closures(riverside: School) -> None:
    result = run("calendar", "calendar.csv")

    assert result.counts == {"term_dates": {"added": 3, "updated": 0, "unchanged": 0}}
    authority = TermDate.objects.filter(school=None).order_by("start")
    assert [(t.start, t.end, t.kind) for t in authority] == [
        (date(2024, 9, 2), date(2024, 10, 25), "term"),
        (date(2024, 11, 4), date(2024, 12, 20), "term"),
    ]
    inset = TermDate.objects.get(school=riverside)
    assert (inset.kind, inset.description) == ("closure", "INSET day")


def test_bad_file_is_refused_whole_with_every_line_named(riverside: School) -> None:
    result = run("calendar", "calendar_bad.csv")

    assert result.status == ImportBatch.Status.REJECTED
    assert result.errors == [
        "line 2: urn: no school has URN '999999'",
        "line 3: end: 2024-11-01 is before start 2024-11-04",
        "line 4: end: '2024-13-01' is not a date in the form YYYY-MM-DD",
        "line 4: start: '2024-13-01' is not a date in the form YYYY-MM-DD",
        "line 5: kind: 'holiday' is not one of term, closure",
    ]
    assert not TermDate.objects.exists()


def test_resend_changes_nothing_and_a_new_description_updates(riverside: School) -> None:
    run("calendar", "calendar.csv")
    assert run("calendar", "calendar.csv").status == ImportBatch.Status.UNCHANGED

    data = b"urn,start,end,kind,description\n118001,2024-09-13,2024-09-13,closure,Training\n"
    result = import_run(kind="calendar", data=data, filename="fix.csv")
    assert result.counts == {"term_dates": {"added": 0, "updated": 1, "unchanged": 0}}
    assert TermDate.objects.get(school=riverside).description == "Training"
    assert TermDate.objects.count() == 3


def test_a_school_cannot_send_the_authority_dates(riverside: School, hilltop: School) -> None:
    data = (
        b"urn,start,end,kind\n,2024-09-02,2024-10-25,term\n118002,2024-09-13,2024-09-13,closure\n"
    )
    result = import_run(kind="calendar", data=data, filename="c.csv", school=riverside)
    assert result.errors == [
        f"line 2: {AUTHORITY_ONLY}",
        "line 3: urn: '118002' is not your school (118001); you can only send your own "
        "school's rows",
    ]
    assert not TermDate.objects.exists()
