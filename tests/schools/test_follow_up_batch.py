"""The set-based follow-up of an import (issue 16, ADR 0015) gives exactly what the
one-school path gives, and a second run writes nothing; the benchmark's plain-SQL peer and
the project's import leave the same register. Small data, run in the normal suite."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.db import transaction
from django.db.models import Q

from schools.benchmark.peer import peer_import
from schools.evaluation import evaluate_school
from schools.imports.services import import_run
from schools.models import Alert, Mark, PupilYearRegister, School
from schools.projections import projections_rebuild, projections_refresh
from schools.projections_batch import projections_refresh_schools
from schools.register_tasks import evaluate_schools

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 23)  # the school day after the small demo's last marks
NEXT = date(2026, 11, 24)
AS_OF = date(2026, 11, 24)
CODES = ["/", "\\", "I", "O", "G", "N", "L", "C1", "M"]


class _Rollback(Exception):
    pass


def _projections() -> dict[tuple[int, int, int], tuple[object, ...]]:
    return {
        (r.school_id, r.pupil_id, r.academic_year): (
            bytes(r.codes), r.possible, r.present, r.approved_activity, r.authorised,
            r.unauthorised, r.not_possible, r.last_mark_date,
        )
        for r in PupilYearRegister.objects.all()
    }  # fmt: skip


def _alerts() -> set[tuple[object, ...]]:
    return set(
        Alert.objects.values_list(
            "school_id", "pupil_id", "kind", "key", "academic_year", "raised_on", "cleared_on"
        )
    )


def _marks_of(*days: date) -> set[tuple[object, ...]]:
    return set(
        Mark.objects.filter(date__in=days).values_list(
            "school_id", "pupil_id", "date", "session", "code"
        )
    )


def _csv(schools: list[School], days: list[date], shift: int = 0) -> bytes:
    """Every pupil on each school's roll for all the days, both sessions of each day, codes
    in a fixed rotation."""
    lines = ["urn,upn,date,session,mark"]
    n = shift
    for school in schools:
        on_roll = school.enrolments.filter(start_date__lte=min(days)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=max(days))
        )
        for upn in on_roll.order_by("pupil_id").values_list("pupil__upn", flat=True):
            for day in days:
                for session in ("AM", "PM"):
                    lines.append(f"{school.urn},{upn},{day.isoformat()},{session},{CODES[n % 9]}")
                    n += 1
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def county(demo_world):  # type: ignore[no-untyped-def]
    schools = list(School.objects.filter(enrolments__isnull=False).distinct().order_by("urn"))
    assert len(schools) >= 2
    return schools


def _apply(data: bytes, name: str) -> None:
    result = import_run(kind="marks", data=data, filename=name, follow_up=False)
    assert result.ok, result.errors


def test_batch_refresh_equals_the_one_school_refresh_and_a_rebuild(county):  # type: ignore[no-untyped-def]
    a, b = county[:2]
    _apply(_csv([a], [DAY]), "a.csv")
    _apply(_csv([b], [NEXT], shift=4), "b.csv")  # different dates per school
    _apply(_csv([a], [DAY], shift=2), "a-again.csv")  # changes as well as additions
    gone = PupilYearRegister.objects.filter(school=b).order_by("pupil_id").first()
    assert gone is not None
    gone.delete()  # a pupil-year never projected is built from all its marks
    dates = {a.pk: [DAY], b.pk: [NEXT]}
    try:
        with transaction.atomic():
            for school_id, days in dates.items():
                projections_refresh(school_id=school_id, dates=days)
            one_by_one = _projections()
            for school in (a, b):
                projections_rebuild(school_id=school.pk, academic_year=2026)
            rebuilt = _projections()
            raise _Rollback
    except _Rollback:
        pass
    written = projections_refresh_schools(dates)
    assert written > 0
    assert _projections() == one_by_one
    assert {k: v for k, v in one_by_one.items() if k[2] == 2026} == {
        k: v for k, v in rebuilt.items() if k[2] == 2026
    }
    assert projections_refresh_schools(dates) == 0  # idempotent: a re-run writes nothing


def test_batch_evaluation_equals_per_school_evaluation(county):  # type: ignore[no-untyped-def]
    ids = [s.pk for s in county]
    _apply(_csv(county, [DAY]), "day.csv")
    projections_refresh_schools({pk: [DAY] for pk in ids})
    Alert.objects.all().delete()
    try:
        with transaction.atomic():
            for pk in ids:
                evaluate_school(school_id=pk, as_of=AS_OF)
            one_by_one = _alerts()
            raise _Rollback
    except _Rollback:
        pass
    totals = evaluate_schools(ids, as_of=AS_OF)
    assert totals["schools"] == len(ids) and totals["raised"] == len(one_by_one) > 0
    assert _alerts() == one_by_one
    again = evaluate_schools(ids, as_of=AS_OF)
    assert (again["raised"], again["cleared"]) == (0, 0)


@pytest.mark.parametrize("shift", [0, 3], ids=["new day", "changed marks"])
def test_the_peer_and_the_import_leave_the_same_register(county, tmp_path: Path, shift: int):  # type: ignore[no-untyped-def]
    if shift:  # the register already holds the day: the file changes some marks
        _apply(_csv(county, [DAY]), "first.csv")
    path = tmp_path / "day.csv"
    path.write_bytes(_csv(county, [DAY], shift=shift))
    try:
        with transaction.atomic():
            written = peer_import(path)
            by_peer = _marks_of(DAY)
            raise _Rollback
    except _Rollback:
        pass
    assert written > 0
    _apply(path.read_bytes(), "day-ours.csv")
    assert _marks_of(DAY) == by_peer
