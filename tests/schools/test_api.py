"""GET /api/v1/pupils/{upn}/attendance/ — scoped like the web (DESIGN: security)."""

from __future__ import annotations

import pytest

from kpas.base.models import AuditEvent, User
from schools.models import Pupil
from schools.selectors import pupil_list_for

pytestmark = pytest.mark.django_db


def test_report_for_a_pupil_in_scope_is_audited(demo_world, client):  # type: ignore[no-untyped-def]
    head = User.objects.get(email="head@demo.kpas.test")
    pupil = pupil_list_for(head).first()
    client.force_login(head)
    response = client.get(f"/api/v1/pupils/{pupil.upn}/attendance/?as_of=2026-11-20")
    assert response.status_code == 200
    assert response.json()["urn"] == "118001"
    assert AuditEvent.objects.filter(action="pupil.attendance_viewed", actor=head).exists()


def test_pupil_out_of_scope_is_not_found(demo_world, client):  # type: ignore[no-untyped-def]
    head = User.objects.get(email="head@demo.kpas.test")
    other = Pupil.objects.exclude(pk__in=pupil_list_for(head).values("pk")).first()
    client.force_login(head)
    assert client.get(f"/api/v1/pupils/{other.upn}/attendance/").status_code == 404
    assert client.get("/api/v1/pupils/NOSUCHUPN/attendance/").status_code == 404


def test_bad_date_is_a_clear_400(demo_world, client):  # type: ignore[no-untyped-def]
    courts = User.objects.get(email="courts@demo.kpas.test")
    client.force_login(courts)
    response = client.get(
        f"/api/v1/pupils/{Pupil.objects.first().upn}/attendance/?as_of=31-12-2025"
    )
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.json()["as_of"]
