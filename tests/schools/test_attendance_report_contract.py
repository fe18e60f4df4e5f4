"""`attendance_report` and its API: issue 10 "Contract additions" (every existing key kept)."""

from __future__ import annotations

import pytest

from kpas.base.models import User
from schools.selectors import pupil_list_for

pytestmark = pytest.mark.django_db


def test_api_report_and_schema_carry_the_episodes(demo_world, client):  # type: ignore[no-untyped-def]
    head = User.objects.get(email="head@demo.kpas.test")
    pupil = pupil_list_for(head).first()
    client.force_login(head)
    report = client.get(f"/api/v1/pupils/{pupil.upn}/attendance/?as_of=2026-11-20").json()
    assert {"met", "met_on", "met_session", "window_start", "episodes"} == set(
        report["penalty_threshold"]
    )
    assert {"continuous_unauthorised_school_days", "due", "episodes"} == set(
        report["attendance_return"]
    )
    assert {"illness_school_days", "due", "episodes"} == set(report["sickness_return"])
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    components = schema["components"]["schemas"]
    assert set(components["PenaltyThresholdEpisode"]["properties"]) == {
        "met_on",
        "met_session",
        "window_start",
        "sessions",
    }
    assert set(components["AttendanceReturnEpisode"]["properties"]) == {
        "from",
        "to",
        "school_days",
        "due",
    }
    assert "episodes" in components["SicknessReturnCheck"]["properties"]
