"""A worker killed mid-render or mid-send (SIGKILL, so nothing is acknowledged or cleaned up),
then a new worker: exactly one document, exactly one email (DESIGN "How data flows" 5).

Each worker is a separate `celery worker` process on the configured broker: the filesystem
broker by default, Redis when REDIS_URL is set (run the file both ways). A renderer and an
email backend registered only for tests block until released, so "mid-render" is certain.
The message the killed worker held may never come back (the filesystem transport keeps no
unacknowledged copy; Redis restores it only after its visibility timeout), so the sweeper is
what hands the work on: the test runs it as beat would.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from kpas.base import outbox
from kpas.base.celery import app
from kpas.base.documents import services
from kpas.base.models import Document, OutboxEmail
from kpas.base.roles import Role
from tests.factories import UserFactory
from tests.kpas.document_kinds import BLOCKING, register_test_kinds

pytestmark = pytest.mark.django_db(transaction=True)
register_test_kinds()

WAIT = 90  # seconds: a worker starting on a loaded two-core machine is slow


class SharedDatabase:
    """The database the worker processes use. On PostgreSQL the test database itself; on
    SQLite (the test database is in memory) a file copy, copied back for the assertions."""

    def __init__(self, folder: Path) -> None:
        self.sqlite = connection.vendor == "sqlite"
        self.path = folder / "worker.sqlite3"

    def url(self) -> str:
        if self.sqlite:
            return f"sqlite:///{self.path}"
        db = connection.settings_dict
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"

    def share(self) -> None:
        if self.sqlite:
            connection.ensure_connection()
            target = sqlite3.connect(self.path)
            connection.connection.backup(target)
            target.close()

    def collect(self) -> None:
        if self.sqlite:
            source = sqlite3.connect(self.path)
            source.backup(connection.connection)
            source.close()

    def value(self, sql: str, *params: Any) -> Any:
        """One value, read where the workers write."""
        if self.sqlite:
            with sqlite3.connect(self.path) as db:
                row = db.execute(sql.replace("%s", "?"), params).fetchone()
        else:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                row = cursor.fetchone()
        return row[0] if row else None


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Callable[[str], subprocess.Popen[bytes]]]:
    """Start worker processes on the documents and email queues; stop (or kill) them after."""
    started: list[subprocess.Popen[bytes]] = []
    flags = tmp_path / "flags"
    flags.mkdir()
    database = SharedDatabase(tmp_path)
    app.control.purge()  # tasks queued by earlier tests, whose data is gone

    def start(name: str) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.kpas.worker_settings",
            "KPAS_WORKER_DATABASE_URL": database.url(),
            "KPAS_TEST_FLAGS": str(flags),
        }
        log = (tmp_path / f"{name}.log").open("wb")
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tests.kpas.worker_app", "worker",
             "--pool=solo", "--queues=documents,email", f"--hostname={name}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
            cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        started.append(worker)
        return worker

    start.flags = flags  # type: ignore[attr-defined]
    start.database = database  # type: ignore[attr-defined]
    start.logs = tmp_path  # type: ignore[attr-defined]
    yield start
    for worker in started:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()


def wait_for(condition: Callable[[], Any], what: str, logs: Path) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    output = "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in logs.glob("*.log"))
    pytest.fail(f"timed out waiting for {what}\n{output}")


def kill(worker: subprocess.Popen[bytes]) -> None:
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def test_a_worker_killed_mid_render_leaves_one_document(workers):
    flags, database, logs = workers.flags, workers.database, workers.logs
    owner = UserFactory(role=Role.COURTS_TEAM, email="owner@example.org")
    with transaction.atomic():
        document = services.document_request(
            kind=BLOCKING, key="killed:render", requested_by=owner,
            params={"owner": owner.email, "flags": str(flags)},
        )  # fmt: skip
    database.share()

    first = workers("first")
    wait_for(lambda: lines(flags / "attempts"), "the first worker to start rendering", logs)
    assert database.value("SELECT status FROM kpas_document WHERE id = %s", document.pk) == (
        "rendering"
    )
    kill(first)
    (flags / "release").touch()

    workers("second")
    time.sleep(1.5)  # longer than the workers' DOCUMENTS_STUCK_AFTER
    app.send_task("kpas.documents.sweep")  # as beat does
    wait_for(
        lambda: (
            database.value("SELECT status FROM kpas_document WHERE id = %s", document.pk) == "ready"
        ),
        "the second worker to finish the document",
        logs,
    )
    database.collect()

    assert lines(flags / "attempts") == [str(document.pk)] * 2  # killed once, finished once
    assert Document.objects.count() == 1
    document.refresh_from_db()
    assert document.status == Document.Status.READY
    assert bytes(document.content) == b"%PDF-blocking" and document.size == 13
    assert document.filename == f"blocking-{document.pk}.pdf"
    assert document.attempts == 2


def test_a_worker_killed_mid_send_sends_the_email_once(workers):
    flags, database, logs = workers.flags, workers.database, workers.logs
    with transaction.atomic():
        email = outbox.email_enqueue(
            key="killed:send", purpose="test", to=["school@example.org"], subject="Once",
            body="Body",
        )  # fmt: skip
        # Stored long enough ago for the sweeper to queue it again.
        OutboxEmail.objects.filter(pk=email.pk).update(
            created_at=timezone.now() - outbox.STALE_AFTER * 2
        )
    database.share()

    first = workers("first")
    wait_for(lambda: lines(flags / "email-attempts"), "the first worker to start sending", logs)
    kill(first)
    assert lines(flags / "sent") == []
    (flags / "release").touch()

    workers("second")
    app.send_task("kpas.outbox.sweep")  # as beat does
    wait_for(
        lambda: (
            database.value("SELECT status FROM kpas_outboxemail WHERE id = %s", email.pk) == "sent"
        ),
        "the second worker to send the email",
        logs,
    )
    database.collect()

    assert len(lines(flags / "email-attempts")) == 2
    sent = lines(flags / "sent")
    assert sent == [f"{outbox.message_id_for(email)} Once"]  # exactly one email went out
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
