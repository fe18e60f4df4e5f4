"""Issue 15 item 1: an upload stuck on the way is found and queued again, or failed with a
clear message; a service administrator can queue it again or cancel it; with Redis down an
upload is answered 503 "service busy" (never 500) and the file is kept for the sweeper."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kpas.base.celery import app
from kpas.base.errors import Conflict
from kpas.base.models import AuditEvent
from kpas.base.roles import Role
from schools import uploads
from schools.import_recovery import (
    CANCELLED,
    import_cancel,
    import_requeue,
    imports_stuck,
    imports_sweep,
)
from schools.models import ImportBatch, SchoolMembership
from schools.upload_tasks import QUEUE_BUSY, apply_import_task, check_import_task
from tests.factories import UserFactory
from tests.factories.register import pupil_at, school_with_terms

Status = ImportBatch.Status
DAY = date(2025, 9, 8)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    school = school_with_terms(urn="118001", name="Oakfield Primary School")
    pupil = pupil_at(school)
    head = UserFactory(role=Role.HEADTEACHER, full_name="Helen Hart")
    SchoolMembership.objects.create(user=head, school=school)
    admin = UserFactory(role=Role.SERVICE_ADMIN, is_staff=True, is_superuser=True)
    data = f"urn,upn,date,session,mark\n118001,{pupil.upn},{DAY},AM,/\n".encode()
    return {"school": school, "pupil": pupil, "head": head, "admin": admin, "data": data}


@pytest.fixture
def redis_down() -> Iterator[None]:
    """The broker is a closed port: a real connection refused, not a stand-in."""
    saved = (app.conf.broker_url, app.conf.broker_transport_options)
    app.conf.broker_url, app.conf.broker_transport_options = "redis://127.0.0.1:9/0", {}
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = saved
        app._pool = None
        app.amqp._producer_pool = None


def upload(client, school, data: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        f"/schools/{school.urn}/imports/upload/",
        {"kind": "marks", "file": SimpleUploadedFile("day.csv", data, content_type="text/csv")},
    )


def received(world, *, status: str = Status.RECEIVED, ago: timedelta) -> ImportBatch:  # type: ignore[no-untyped-def]
    """An upload whose worker was lost `ago`."""
    batch = uploads.upload_receive(
        actor=world["head"],
        school=world["school"],
        kind="marks",
        upload=SimpleUploadedFile("day.csv", world["data"]),
    )
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=status, queued_at=timezone.now() - ago, created_at=timezone.now() - ago
    )
    batch.refresh_from_db()
    return batch


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_an_upload_is_503_and_the_sweeper_queues_it_later(
    world, client, monkeypatch, redis_down
):
    monkeypatch.setattr(uploads, "INLINE_MAX_BYTES", 0)  # a large file: handled by a worker
    client.force_login(world["head"])
    response = upload(client, world["school"], world["data"])
    assert response.status_code == 503 and response["Retry-After"]
    page = response.content.decode()
    assert "Sorry, the service is busy" in page and "you do not need" in page
    assert QUEUE_BUSY.split(":")[0] in page
    batch = ImportBatch.objects.get()  # the file is kept, waiting for the sweeper
    assert batch.status == Status.RECEIVED and batch.queued_at is None
    later = timezone.now() + timedelta(minutes=5)
    assert list(imports_stuck(now=later)) == [batch]
    assert imports_sweep(now=later)["busy"] == 1  # Redis still down: nothing changes


@pytest.mark.django_db(transaction=True)
def test_when_redis_returns_the_sweeper_queues_the_kept_file(world):  # type: ignore[no-untyped-def]
    batch = received(world, ago=timedelta(minutes=5))
    ImportBatch.objects.filter(pk=batch.pk).update(queued_at=None)
    swept = imports_sweep()
    batch.refresh_from_db()
    assert swept["requeued"] == 1 and batch.attempts == 1 and batch.queued_at is not None
    assert check_import_task(batch.pk) == Status.PREVIEWED  # the queued task's work
    assert imports_sweep()["requeued"] == 0


@pytest.mark.django_db
def test_a_stuck_import_is_requeued_then_failed_with_a_clear_message(world, settings):  # type: ignore[no-untyped-def]
    settings.IMPORT_MAX_REQUEUES = 2
    batch = received(world, status=Status.PROCESSING, ago=timedelta(hours=1))
    fresh = received(world, status=Status.PROCESSING, ago=timedelta(minutes=1))
    for attempt in (1, 2):
        assert imports_sweep()["requeued"] == 1
        batch.refresh_from_db()
        assert batch.attempts == attempt and batch.status == Status.PROCESSING
        ImportBatch.objects.filter(pk=batch.pk).update(
            queued_at=timezone.now() - timedelta(hours=1)  # lost again
        )
    assert imports_sweep()["failed"] == 1
    batch.refresh_from_db()
    assert batch.status == Status.FAILED and batch.finished_at is not None
    assert batch.errors[0].startswith("This file could not be applied after 3 attempts")
    assert "Upload the file again" in batch.errors[0]
    assert apply_import_task(batch.pk) == Status.FAILED  # the lost task, back late: nothing
    fresh.refresh_from_db()
    assert fresh.status == Status.PROCESSING and fresh.attempts == 0  # not stuck yet
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"import.requeued", "import.failed"} <= actions


@pytest.mark.django_db
def test_an_admin_requeues_or_cancels_an_import(world, client):  # type: ignore[no-untyped-def]
    stuck = received(world, status=Status.PROCESSING, ago=timedelta(hours=1))
    waiting = received(world, status=Status.PREVIEWED, ago=timedelta(minutes=1))
    client.force_login(world["admin"])
    url = "/admin/schools/importbatch/"
    response = client.post(url, {"action": "requeue", "_selected_action": [stuck.pk]})
    assert response.status_code == 302
    stuck.refresh_from_db()
    assert stuck.attempts == 1 and stuck.status == Status.PROCESSING
    client.post(url, {"action": "cancel", "_selected_action": [waiting.pk, stuck.pk]})
    for batch in (stuck, waiting):
        batch.refresh_from_db()
        assert batch.status == Status.CANCELLED and batch.errors == [CANCELLED]
    assert apply_import_task(stuck.pk) == Status.CANCELLED  # never applied afterwards
    with pytest.raises(Conflict):
        import_cancel(batch_id=stuck.pk, actor=world["admin"])
    with pytest.raises(Conflict):
        import_requeue(batch_id=stuck.pk, actor=world["admin"])
    page = client.get(f"/schools/118001/imports/{stuck.pk}/")
    client.force_login(world["head"])
    page = client.get(f"/schools/118001/imports/{stuck.pk}/").content.decode()
    assert "The file was not applied" in page and CANCELLED in page


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_restart_under_the_import_task_is_retried(world):  # type: ignore[no-untyped-def]
    """The worker's database connection is killed by the server (as a restart does): the task
    drops it and retries with backoff on a new one, and the file is applied once."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("terminating a server connection needs PostgreSQL")
    import psycopg

    batch = received(world, status=Status.PROCESSING, ago=timedelta(minutes=1))
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    result = apply_import_task.apply(args=(batch.pk,))
    assert result.get() == Status.APPLIED
    batch.refresh_from_db()
    assert batch.status == Status.APPLIED and batch.counts["marks"]["added"] == 1


@pytest.mark.django_db
def test_the_progress_page_stops_waiting_and_says_what_to_do(world, client, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(uploads, "INLINE_MAX_BYTES", 0)
    fresh = received(world, ago=timedelta(seconds=5))
    lost = received(world, status=Status.PROCESSING, ago=timedelta(minutes=20))
    never = received(world, ago=timedelta(minutes=20))
    ImportBatch.objects.filter(pk=never.pk).update(queued_at=None)
    client.force_login(world["head"])
    base = "/schools/118001/imports"
    page = client.get(f"{base}/{fresh.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page and "stopped waiting" not in page
    assert client.get(f"{base}/{fresh.pk}/progress/").json()["slow"] is False

    assert client.get(f"{base}/{lost.pk}/progress/").json()["slow"] is True
    page = client.get(f"{base}/{lost.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page and 'data-slow="true"' in page
    assert "this page has stopped waiting" in page and "queued again automatically" in page
    assert f"file number {lost.pk}" in page

    page = client.get(f"{base}/{never.pk}/").content.decode()
    assert "The service was busy when your file arrived" in page


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_the_api_answers_503_service_busy(world, client, monkeypatch, redis_down):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(uploads, "INLINE_MAX_BYTES", 0)
    client.force_login(world["head"])
    upload = SimpleUploadedFile("day.csv", world["data"], content_type="text/csv")
    response = client.post(
        "/api/v1/imports/", {"file": upload, "kind": "marks", "school": "118001"}
    )
    assert response.status_code == 503 and response["Retry-After"]
    assert response.json() == {"code": "service-busy", "detail": QUEUE_BUSY}
    assert ImportBatch.objects.get().status == Status.RECEIVED  # kept for the sweeper
