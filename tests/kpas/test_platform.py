"""The platform: health check, API schema, sign-in pages, authority structure, demo data."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from kpas.base.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from kpas.base.models import Area, District, Team
from schools.models import Mark, Pupil, School

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client):  # type: ignore[no-untyped-def]
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_openapi_schema_is_served(client):  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/schools/" in schema["paths"]


def test_api_needs_authentication(client):  # type: ignore[no-untyped-def]
    assert client.get("/api/v1/schools/").status_code in {401, 403}


def test_home_redirects_anonymous_users_to_sign_in(client):  # type: ignore[no-untyped-def]
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_kent_structure_loads_idempotently():  # type: ignore[no-untyped-def]
    call_command("load_authority_structure", verbosity=0)
    call_command("load_authority_structure", verbosity=0)
    assert Area.objects.count() == 4  # KSAH §8: four areas
    assert District.objects.count() == 12  # three districts each
    assert set(District.objects.filter(area__name="North").values_list("name", flat=True)) == {
        "Dartford",
        "Gravesham",
        "Sevenoaks",
    }
    assert Team.objects.filter(function=Team.Function.COURTS).exists()


def test_demo_seed_is_idempotent_and_every_account_signs_in(demo_world, client):  # type: ignore[no-untyped-def]
    counts = (School.objects.count(), Pupil.objects.count(), Mark.objects.count())
    call_command("seed_demo", "--small", verbosity=0)
    assert (School.objects.count(), Pupil.objects.count(), Mark.objects.count()) == counts
    for account in DEMO_ACCOUNTS:
        response = client.post(
            reverse("login"), {"username": account.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, account.email
        assert response["Location"] == reverse("home")
        client.post(reverse("logout"))


def test_api_lists_only_schools_in_scope(demo_world, client):  # type: ignore[no-untyped-def]
    from kpas.base.models import User

    client.force_login(User.objects.get(email="head@demo.kpas.test"))
    body = client.get("/api/v1/schools/").json()
    assert [s["urn"] for s in body["results"]] == ["118001"]


def test_openapi_document_validates_without_warnings(tmp_path):  # type: ignore[no-untyped-def]
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert "/api/v1/imports/" in (tmp_path / "s.yml").read_text()
