"""POST/GET /api/v1/referrals/: the web's validation, routing and scoping, for MIS clients."""

from __future__ import annotations

import uuid

import pytest
from rest_framework.test import APIClient

from referrals import errors
from referrals.models import Submission
from referrals.pathways import PATHWAYS

from .conftest import sender_for, valid_answers

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("slug", list(PATHWAYS))
def test_each_pathway_can_be_sent_through_the_api(world, slug):  # type: ignore[no-untyped-def]
    response = client_for(sender_for(slug, world)).post(
        "/api/v1/referrals/",
        {"pathway": slug, "answers": valid_answers(slug, world)},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["pathway"] == slug and body["status"] == "submitted"
    assert body["reference"].startswith("DFD-") and body["team"]
    assert Submission.objects.get(reference=body["reference"]).source == "api"


def test_the_api_refuses_with_the_web_forms_messages(world):  # type: ignore[no-untyped-def]
    answers = valid_answers("suspension-or-exclusion", world)
    del answers["end_date"]
    answers["pupil_dob"] = "2016-02-30"
    response = client_for(world.head).post(
        "/api/v1/referrals/",
        {"pathway": "suspension-or-exclusion", "answers": answers},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "pupil_dob": "Date of birth must be a real date",
        "end_date": "Enter the last day of the suspension",
    }
    assert not Submission.objects.exists()


def test_blocking_conditions_and_reasons_come_back_with_the_register_figures(world):  # type: ignore[no-untyped-def]
    answers = valid_answers("child-missing-education", world)
    answers["last_attended"] = "2025-11-03"
    response = client_for(world.head).post(
        "/api/v1/referrals/",
        {"pathway": "child-missing-education", "answers": answers},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == {
        "within-10-school-days": errors.REASON_REQUIRED.format(
            condition="This notification is later than 10 school days after the pupil last attended"
        )
    }
    late = next(c for c in body["conditions"] if c["id"] == "within-10-school-days")
    assert late["outcome"] == "not_met" and "17 November 2025" in late["detail"]
    answers["_reasons"] = {"within-10-school-days": "The family was abroad."}
    again = client_for(world.head).post(
        "/api/v1/referrals/",
        {"pathway": "child-missing-education", "answers": answers},
        format="json",
    )
    assert again.status_code == 201


def test_an_idempotency_key_makes_a_retry_return_the_first_submission(world):  # type: ignore[no-untyped-def]
    client, key = client_for(world.head), str(uuid.uuid4())
    payload = {
        "pathway": "child-missing-education",
        "answers": valid_answers("child-missing-education", world),
    }
    first = client.post("/api/v1/referrals/", payload, format="json", HTTP_IDEMPOTENCY_KEY=key)
    second = client.post("/api/v1/referrals/", payload, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["reference"] == second.json()["reference"]
    assert Submission.objects.count() == 1
    bad = client.post(
        "/api/v1/referrals/", payload, format="json", HTTP_IDEMPOTENCY_KEY="not-a-uuid"
    )
    assert bad.status_code == 400


def test_a_pathway_not_for_the_role_is_forbidden(world):  # type: ignore[no-untyped-def]
    response = client_for(world.office).post(
        "/api/v1/referrals/",
        {"pathway": "penalty-notice", "answers": valid_answers("penalty-notice", world)},
        format="json",
    )
    assert response.status_code == 403
    assert APIClient().post("/api/v1/referrals/", {}, format="json").status_code in (401, 403)


def test_list_and_detail_are_scoped(world):  # type: ignore[no-untyped-def]
    sent = (
        client_for(world.head)
        .post(
            "/api/v1/referrals/",
            {
                "pathway": "child-missing-education",
                "answers": valid_answers("child-missing-education", world),
            },
            format="json",
        )
        .json()
    )
    reference = sent["reference"]
    listed = client_for(world.sac).get("/api/v1/referrals/").json()
    assert [item["reference"] for item in listed["results"]] == [reference]
    assert client_for(world.other_head).get("/api/v1/referrals/").json()["results"] == []
    detail = client_for(world.ao).get(f"/api/v1/referrals/{reference}/")
    assert detail.status_code == 200
    assert [e["kind"] for e in detail.json()["events"]][:3] == ["submitted", "routed", "allocated"]
    assert client_for(world.other_head).get(f"/api/v1/referrals/{reference}/").status_code == 404
    assert client_for(world.courts).get(f"/api/v1/referrals/{reference}/").status_code == 404


def test_pathways_are_described_and_in_the_openapi_schema(world):  # type: ignore[no-untyped-def]
    pathways = client_for(world.head).get("/api/v1/referrals/pathways/").json()
    assert [p["number"] for p in pathways] == list(range(1, 12))
    penalty = next(p for p in pathways if p["slug"] == "penalty-notice")
    assert any(r["id"] == "no-outstanding-n" for r in penalty["requirements"])
    schema = client_for(world.head).get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/referrals/" in text and "Idempotency-Key" in text
