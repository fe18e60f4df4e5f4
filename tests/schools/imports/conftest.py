"""Shared fixtures for the import tests: a district, two schools, the sample files."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpas.base.models import Area, District
from schools.imports.services import ImportResult, import_run
from schools.models import School

DATA = Path(__file__).parent / "data"


def run(kind: str, name: str, **kwargs: object) -> ImportResult:
    """Import one of the sample files."""
    return import_run(kind=kind, file_path=DATA / name, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def district(db: None) -> District:
    area = Area.objects.create(name="West Kent")
    return District.objects.create(area=area, name="Dartford")


@pytest.fixture
def riverside(district: District) -> School:
    return School.objects.create(
        urn="118001",
        name="Riverside Primary",
        phase=School.Phase.PRIMARY,
        school_type=School.Type.MAINTAINED,
        district=district,
        la_code="886",
        estab="2001",
    )


@pytest.fixture
def hilltop(district: District) -> School:
    return School.objects.create(
        urn="118002",
        name="Hilltop Academy",
        phase=School.Phase.SECONDARY,
        school_type=School.Type.ACADEMY,
        district=district,
        la_code="886",
        estab="2002",
    )


@pytest.fixture
def pupils(riverside: School, hilltop: School) -> ImportResult:
    """The four pupils of pupils.csv, enrolled from 1 September 2023."""
    result = run("pupils", "pupils.csv")
    assert result.status == "applied", result.errors
    return result
