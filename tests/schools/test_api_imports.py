"""POST /api/v1/imports/ — register files from an MIS, validated whole, applied once."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kpas.base.models import User
from schools.models import ImportBatch, Mark, School

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(demo_world, client):  # type: ignore[no-untyped-def]
    user = User.objects.get(email="head@demo.kpas.test")
    client.force_login(user)
    return user


def marks_file(rows: list[str], name: str = "monday.csv") -> SimpleUploadedFile:
    body = "urn,upn,date,session,mark\n" + "".join(f"{r}\n" for r in rows)
    return SimpleUploadedFile(name, body.encode(), content_type="text/csv")


def a_pupil_upn() -> str:
    return School.objects.get(urn="118001").enrolments.first().pupil.upn


def test_a_small_file_is_checked_and_applied_in_one_request(head, client):  # type: ignore[no-untyped-def]
    upn = a_pupil_upn()
    upload = marks_file([f"118001,{upn},2026-11-23,AM,/", f"118001,{upn},2026-11-23,PM,I"])
    response = client.post(
        "/api/v1/imports/", {"file": upload, "kind": "marks", "school": "118001", "confirm": "true"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "applied"
    assert body["counts"]["marks"]["added"] == 2
    assert Mark.objects.filter(pupil__upn=upn, date="2026-11-23").count() == 2


def test_a_bad_file_is_refused_whole_with_every_line_named(head, client):  # type: ignore[no-untyped-def]
    upn = a_pupil_upn()
    upload = marks_file([f"118001,{upn},2026-11-23,AM,/", f"118001,{upn},2026-11-23,XX,Q9"])
    response = client.post(
        "/api/v1/imports/", {"file": upload, "kind": "marks", "school": "118001", "confirm": "true"}
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors and all(e.startswith("line 3:") for e in errors)
    assert not Mark.objects.filter(date="2026-11-23").exists()


def test_confirm_applies_once(head, client):  # type: ignore[no-untyped-def]
    upn = a_pupil_upn()
    upload = marks_file([f"118001,{upn},2026-11-23,AM,N"])
    checked = client.post(
        "/api/v1/imports/", {"file": upload, "kind": "marks", "school": "118001"}
    ).json()
    assert checked["status"] == "previewed"
    assert not Mark.objects.filter(date="2026-11-23").exists()
    first = client.post(checked["confirm_url"])
    second = client.post(checked["confirm_url"])
    assert first.status_code == second.status_code == 201
    assert first.json()["status"] == second.json()["status"] == "applied"
    assert Mark.objects.filter(date="2026-11-23").count() == 1
    assert ImportBatch.objects.filter(pk=checked["id"], status="applied").exists()


def test_other_schools_and_authority_files_are_not_theirs(head, client):  # type: ignore[no-untyped-def]
    upload = marks_file(["118002,X,2026-11-23,AM,/"])
    other = client.post("/api/v1/imports/", {"file": upload, "kind": "marks", "school": "118002"})
    assert other.status_code == 404  # out of scope is "not found"
    calendar = SimpleUploadedFile("terms.csv", b"urn,start,end,kind\n,2027-01-04,2027-02-12,term\n")
    refused = client.post(
        "/api/v1/imports/", {"file": calendar, "kind": "calendar", "school": "118001"}
    )
    assert refused.status_code == 403


def test_a_pdf_sent_as_csv_is_named_as_such(head, client):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("marks.csv", b"%PDF-1.7\n...", content_type="text/csv")
    response = client.post(
        "/api/v1/imports/", {"file": upload, "kind": "marks", "school": "118001"}
    )
    assert response.status_code == 400
    assert "PDF" in response.json()["file"][0]


def test_batches_are_scoped(head, client):  # type: ignore[no-untyped-def]
    upn = a_pupil_upn()
    created = client.post(
        "/api/v1/imports/",
        {
            "file": marks_file([f"118001,{upn},2026-11-23,AM,/"]),
            "kind": "marks",
            "school": "118001",
        },
    ).json()
    assert client.get(created["url"]).status_code == 200
    client.force_login(User.objects.get(email="ao@demo.kpas.test"))  # the linked officer
    assert client.get(created["url"]).status_code == 200
    client.force_login(
        User.objects.create_user(
            "stranger@example.test", "x" * 14, full_name="Stranger", role="headteacher"
        )
    )
    assert client.get(created["url"]).status_code == 404


def test_a_large_file_is_queued_by_the_one_upload_service(  # type: ignore[no-untyped-def]
    head, client, monkeypatch, django_capture_on_commit_callbacks
):
    """Issue 9 item 3: the API does not decide to queue; schools.upload_service does, for the
    web and the API alike."""
    from schools import uploads

    monkeypatch.setattr(uploads, "INLINE_MAX_BYTES", 0)
    queued: list[tuple[str, int]] = []
    monkeypatch.setattr(
        "schools.upload_service.import_check_queue", lambda pk: queued.append(("check", pk))
    )
    upload = marks_file([f"118001,{a_pupil_upn()},2026-11-23,AM,/"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/imports/",
            {"file": upload, "kind": "marks", "school": "118001", "confirm": "true"},
        )
    assert response.status_code == 202, response.content
    assert queued == [("check", response.json()["id"])]
