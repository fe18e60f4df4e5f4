"""The documents pipeline (kpas/base/documents/; STYLE §16): a PDF is a stored row, rendered
once by the named task `kpas.documents.render`, shown with progress and downloaded when ready,
scoped as the page that asked for it."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from kpas.base.documents import services
from kpas.base.documents.registry import UnknownKind, kind_for
from kpas.base.documents.tasks import (
    RENDER_MAX_RETRIES,
    render_document_task,
    sweep_documents_task,
)
from kpas.base.models import AuditEvent, Document
from kpas.base.roles import Role
from tests.factories import UserFactory
from tests.kpas import document_kinds
from tests.kpas.document_kinds import ECHO, FAILING, register_test_kinds

ROOT = Path(__file__).resolve().parents[2]

register_test_kinds()


@pytest.fixture
def owner():  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.COURTS_TEAM, email="owner@example.org")


def _request(owner, kind=ECHO, key="test:1"):  # type: ignore[no-untyped-def]
    return services.document_request(
        kind=kind, key=key, requested_by=owner, params={"owner": owner.email}
    )


@pytest.mark.django_db
def test_an_unknown_kind_is_refused_when_asked_for(owner):
    with pytest.raises(UnknownKind):
        services.document_request(kind="no.such", key="k", requested_by=owner, params={})
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_the_same_request_is_one_row_rendered_once(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        first = _request(owner)
        second = _request(owner)
    assert first.pk == second.pk and Document.objects.count() == 1
    assert len(queued) == 1  # one render queued, not two
    document_kinds.RENDERS.clear()
    services.document_render(document_id=first.pk)
    services.document_render(document_id=first.pk)
    assert [first.pk] == document_kinds.RENDERS
    first.refresh_from_db()
    assert first.status == Document.Status.READY
    assert bytes(first.content).startswith(b"%PDF-echo") and first.size == len(first.content)
    assert first.filename == f"echo-{first.pk}.pdf" and first.ready_at is not None
    assert AuditEvent.objects.filter(action=services.AUDIT_REQUESTED).count() == 1


@pytest.mark.django_db
def test_a_live_render_is_not_taken_over_but_a_dead_one_is(owner):
    document = _request(owner)
    Document.objects.filter(pk=document.pk).update(
        status=Document.Status.RENDERING, started_at=timezone.now()
    )
    document_kinds.RENDERS.clear()
    services.document_render(document_id=document.pk)
    assert document_kinds.RENDERS == []  # another worker holds it
    Document.objects.filter(pk=document.pk).update(
        started_at=timezone.now() - services.STUCK_AFTER - timedelta(seconds=1)
    )
    services.document_render(document_id=document.pk)
    document.refresh_from_db()
    assert [document.pk] == document_kinds.RENDERS and document.status == Document.Status.READY
    assert document.attempts == 1


@pytest.mark.django_db
def test_a_renderer_that_fails_is_retried_then_marked_failed(owner):
    document = _request(owner, kind=FAILING)
    # Run eagerly, the task retries in place: 1 attempt + RENDER_MAX_RETRIES, then "failed".
    result = render_document_task.apply(args=(document.pk,))
    assert result.get() == "failed"
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED and document.content is None
    assert document.attempts == 1 + RENDER_MAX_RETRIES and "broke" in document.error
    # Asked for again, a failed document is queued again.
    again = _request(owner, kind=FAILING)
    assert again.pk == document.pk and again.status == Document.Status.PENDING


@pytest.mark.django_db
def test_the_sweeper_requeues_lost_and_dead_renders_only(owner):
    now = timezone.now()
    lost = _request(owner, key="lost")
    dead = _request(owner, key="dead")
    fresh = _request(owner, key="fresh")
    live = _request(owner, key="live")
    done = _request(owner, key="done")
    old = now - timedelta(hours=1)
    Document.objects.filter(pk=lost.pk).update(requested_at=old)
    Document.objects.filter(pk=dead.pk).update(status="rendering", started_at=old)
    Document.objects.filter(pk=live.pk).update(status="rendering", started_at=now, requested_at=old)
    Document.objects.filter(pk=done.pk).update(status="ready", requested_at=old)
    assert services.stuck_documents(now=now) == sorted([lost.pk, dead.pk])
    assert fresh.pk not in services.stuck_documents(now=now)
    assert sweep_documents_task.name == "kpas.documents.sweep"


# --- the pages ----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_progress_page_polls_then_offers_the_download(owner, client):
    document = _request(owner)
    client.force_login(owner)
    page = client.get(f"/documents/{document.public_id}/")
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    # Without JavaScript: a meta refresh; with it: a poll of the JSON status.
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in html
    # (the poll is a static file: the Content Security Policy allows no inline script)
    assert '<script src="/static/kpas/document-progress.js" data-refresh-seconds="2">' in html
    assert "?format=json" in (ROOT / "static/kpas/document-progress.js").read_text()
    assert client.get(f"/documents/{document.public_id}/?format=json").json() == {
        "status": "pending",
        "download_url": None,
    }
    assert client.get(f"/documents/{document.public_id}/download/").status_code == 404

    services.document_render(document_id=document.pk)
    html = client.get(f"/documents/{document.public_id}/").content.decode()
    assert "http-equiv" not in html
    download_url = f"/documents/{document.public_id}/download/"
    assert f'href="{download_url}"' in html
    assert client.get(f"/documents/{document.public_id}/?format=json").json() == {
        "status": "ready",
        "download_url": download_url,
    }
    response = client.get(download_url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-echo")
    assert f'filename="echo-{document.pk}.pdf"' in response["Content-Disposition"]
    event = AuditEvent.objects.get(action=services.AUDIT_DOWNLOADED)
    assert event.actor == owner and event.object_id == str(document.pk)


@pytest.mark.django_db
def test_out_of_scope_is_not_found(owner, client):
    document = _request(owner)
    services.document_render(document_id=document.pk)
    client.force_login(UserFactory(role=Role.COURTS_TEAM))
    for path in ("", "download/", "?format=json"):
        assert client.get(f"/documents/{document.public_id}/{path}").status_code == 404
    assert client.get("/documents/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert not AuditEvent.objects.filter(action=services.AUDIT_DOWNLOADED).exists()
    client.logout()
    response = client.get(f"/documents/{document.public_id}/download/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


@pytest.mark.django_db
def test_a_failed_document_says_so(owner, client):
    document = _request(owner, kind=FAILING)
    Document.objects.filter(pk=document.pk).update(status="failed", error="boom")
    client.force_login(owner)
    html = client.get(f"/documents/{document.public_id}/").content.decode()
    assert "could not be made" in html and "http-equiv" not in html and "boom" not in html


# --- operators ------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_outbox_and_documents_are_read_only_lists_in_the_admin(owner, client):
    from kpas.base import outbox

    outbox.email_enqueue(key="a", purpose="test", to=["x@example.org"], subject="S", body="B")
    document = _request(owner)
    services.document_render(document_id=document.pk)
    admin = UserFactory(role=Role.SERVICE_ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    for model in ("outboxemail", "document"):
        listing = client.get(f"/admin/kpas/{model}/")
        assert listing.status_code == 200, model
        assert client.get(f"/admin/kpas/{model}/add/").status_code == 403
    detail = client.get(f"/admin/kpas/document/{document.pk}/change/")
    assert detail.status_code == 200
    assert "%PDF-echo" not in detail.content.decode()  # never the bytes
    assert "Save" not in detail.content.decode()


# --- on a real worker ---------------------------------------------------------------------------
def test_rendered_by_a_real_worker(celery_worker_all_queues):
    owner = UserFactory(role=Role.COURTS_TEAM, email="owner@example.org")
    with transaction.atomic():
        document = _request(owner, key="test:worker")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        document.refresh_from_db()
        if document.status == Document.Status.READY:
            break
        time.sleep(0.1)
    assert document.status == Document.Status.READY
    assert kind_for(ECHO).label == "Test tests.echo"


def test_render_and_sweep_go_to_the_documents_queue_and_the_sweeper_is_on_beat(settings):
    from kpas.base.celery import app

    for name in ("kpas.documents.render", "kpas.documents.sweep"):
        assert app.amqp.router.route({}, name)["queue"].name == "documents"
    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "kpas.documents.sweep" in beat
    assert render_document_task.acks_late and render_document_task.reject_on_worker_lost
