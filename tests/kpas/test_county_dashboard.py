"""The authority's dashboard reads the precomputed figures: totals are sums of schools'
sessions and pupils (so exact), scoped, anonymised on request, exported as CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from kpas.base.roles import Role
from schools.codes import ALL_CODES
from schools.models import Mark
from tests.factories import UserFactory
from tests.factories.attendance import constructed_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(client):  # type: ignore[no-untyped-def]
    first = constructed_school(name="Birch Primary")
    second = constructed_school(name="Cedar Primary")
    admin = UserFactory(role=Role.SERVICE_ADMIN)
    client.force_login(admin)
    return first, second


def test_county_totals_are_the_raw_marks_of_every_school(client, county) -> None:  # type: ignore[no-untyped-def]
    codes = list(Mark.objects.values_list("code", flat=True))
    possible = sum(1 for c in codes if ALL_CODES[c].possible)
    attended = sum(1 for c in codes if ALL_CODES[c].counts_as_attendance)
    response = client.get(reverse("figures:county"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    county_row = next(r for r in rows if r["level"] == "County")
    assert int(county_row["possible_sessions"]) == possible == 2 * 696
    assert county_row["attendance_percent"] == f"{100 * attended / possible:.1f}"
    assert county_row["national_attendance_percent"] == "94.7"
    assert {r["name"] for r in rows if r["level"] == "School"} == {"Birch Primary", "Cedar Primary"}


def test_school_names_hidden_on_request(client, county) -> None:  # type: ignore[no-untyped-def]
    page = client.get(reverse("figures:county"), {"anonymise": "1"}).content.decode()
    assert "Birch Primary" not in page and "School 001" in page and "School 002" in page
    assert "Register freshness" in page


def test_school_staff_cannot_see_the_authority_dashboard(client, county) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(role=Role.HEADTEACHER))
    assert client.get(reverse("figures:county")).status_code == 404
