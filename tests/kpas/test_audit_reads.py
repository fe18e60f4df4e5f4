"""Sign-ins, failed sign-ins and every view of a pupil's record are in the audit log
(issue 15 item 3; docs/security.md): one event per view, one event per list naming its UPNs.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from kpas.base.audit import AuditAction
from kpas.base.models import AuditEvent
from kpas.base.roles import Role
from tests.factories import UserFactory
from tests.factories.attendance import AS_OF, constructed_school

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


@pytest.fixture
def built():  # type: ignore[no-untyped-def]
    return constructed_school()


@pytest.fixture
def courts(client):  # type: ignore[no-untyped-def]
    user = UserFactory(role=Role.COURTS_TEAM, full_name="Carys Courts")
    client.force_login(user)
    return user


def events(action: str):  # type: ignore[no-untyped-def]
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_a_sign_in_is_recorded_with_the_address(client):
    user = UserFactory(email="olive@example.test", role=Role.ATTENDANCE_OFFICER)
    response = client.post(
        reverse("login"),
        {"username": "olive@example.test", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302
    [event] = events(AuditAction.SIGNED_IN)
    assert (event.actor_id, event.actor_email) == (user.pk, "olive@example.test")
    assert event.detail == {"address": "198.51.100.7"}


def test_a_failed_sign_in_records_who_was_tried_and_from_where_never_the_password(client):
    UserFactory(email="olive@example.test", role=Role.ATTENDANCE_OFFICER)
    response = client.post(
        reverse("login"),
        {"username": "olive@example.test", "password": "guess-number-one"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 200
    [event] = events(AuditAction.SIGN_IN_FAILED)
    assert event.actor_id is None
    assert event.detail == {"username": "olive@example.test", "address": "203.0.113.9"}
    assert "guess-number-one" not in str(AuditEvent.objects.values_list("detail", flat=True))
    assert not events(AuditAction.SIGNED_IN)


def test_every_view_of_a_pupil_record_is_one_event(built, client, courts):
    pupil = built.pupils["persistent"]
    url = reverse("schools:pupil-detail", kwargs={"urn": built.school.urn, "upn": pupil.upn})
    for _ in range(2):
        assert client.get(url).status_code == 200
    views = events(AuditAction.PUPIL_RECORD_VIEWED)
    assert len(views) == 2
    assert {(e.actor_name, e.object_id, e.detail["via"]) for e in views} == {
        ("Carys Courts", str(pupil.pk), "web")
    }


def test_the_certificate_page_is_a_view_of_the_pupils_record(built, client, courts):
    pupil = built.pupils["persistent"]
    url = reverse("schools:pupil-certificate", kwargs={"urn": built.school.urn, "upn": pupil.upn})
    assert client.get(url).status_code == 200
    [event] = events(AuditAction.PUPIL_RECORD_VIEWED)
    assert (event.object_id, event.detail["via"]) == (str(pupil.pk), "certificate page")


def test_a_list_of_pupils_is_one_event_naming_the_pupils_shown(built, client, courts):
    url = reverse("schools:school-pupils", kwargs={"urn": built.school.urn})
    assert client.get(f"{url}?as_of={AS_OF}").status_code == 200
    [event] = events(AuditAction.SCHOOL_PUPILS_LISTED)
    shown = {p.upn for p in built.pupils.values()}
    assert set(event.detail["upns"]) == shown and event.detail["count"] == len(shown)


def test_the_api_list_names_the_pupils_on_its_page(built, client, courts):
    response = client.get(f"/api/v1/schools/{built.school.urn}/pupils/?as_of={AS_OF}")
    assert response.status_code == 200
    [event] = events(AuditAction.SCHOOL_PUPILS_LISTED)
    assert sorted(event.detail["upns"]) == sorted(r["upn"] for r in response.json()["results"])


@pytest.mark.parametrize("tail", ["", "marks/", "attendance/"])
def test_each_api_read_of_a_pupil_is_one_event(built, client, courts, tail):
    pupil = built.pupils["persistent"]
    response = client.get(f"/api/v1/pupils/{pupil.upn}/{tail}?as_of={AS_OF}")
    assert response.status_code == 200
    [event] = AuditEvent.objects.filter(object_id=str(pupil.pk))
    assert event.actor_id == courts.pk and event.detail["via"] == "api"
