"""The fault tests' harness: real `celery worker` processes on Redis, sharing the PostgreSQL
test database, which the tests kill (SIGKILL), starve of their broker (FLUSHDB) or of their
database connection (pg_terminate_backend).

These tests need PostgreSQL and Redis (DATABASE_URL and REDIS_URL set, as in CI's
PostgreSQL run); on SQLite they are skipped, saying so. Work is paused "mid-task" by test
doubles that only the worker processes load (tests/faults/worker_app.py): a document kind
and an email backend that wait for a "release" file, an evaluation hook that waits likewise,
and for an import a PostgreSQL lock the test holds on a table the import writes late.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from tests.kpas.document_kinds import register_test_kinds

register_test_kinds()  # the kinds the workers render (tests/faults/worker_app.py)
WAIT = 90  # seconds: a worker starting on a loaded two-core machine is slow
WORKER_APPLICATION_NAME = "kpas-faults-worker"  # how the tests find the workers' connections
QUEUES = "imports,nightly,documents,email,celery"


def _needs_real_services() -> str | None:
    if connection.vendor != "postgresql":
        return "fault tests need PostgreSQL and Redis: set DATABASE_URL and REDIS_URL"
    if not settings.REDIS_URL:
        return "fault tests need Redis as the broker: set REDIS_URL"
    return None


@pytest.fixture
def real_services(transactional_db: None) -> None:
    reason = _needs_real_services()
    if reason:
        pytest.skip(reason)


def redis_client() -> Any:
    import redis

    return redis.Redis.from_url(settings.REDIS_URL)


@dataclass
class Workers:
    """Starts worker processes; the test's folder holds their logs and the doubles' flags."""

    folder: Path
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)

    @property
    def flags(self) -> Path:
        return self.folder / "flags"

    def start(self, name: str, **env: str) -> subprocess.Popen[bytes]:
        db = connection.settings_dict
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        url = f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings",
            "KPAS_WORKER_DATABASE_URL": url,
            "KPAS_WORKER_APPLICATION_NAME": WORKER_APPLICATION_NAME,
            "KPAS_TEST_FLAGS": str(self.flags),
            **self.env,
            **env,
        }
        log = (self.folder / f"{name}.log").open("wb")
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tests.faults.worker_app", "worker",
             "--pool=solo", f"--queues={QUEUES}", f"--hostname={name}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
            cwd=settings.BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.started.append(worker)
        return worker

    def kill(self, worker: subprocess.Popen[bytes]) -> None:
        """SIGKILL: nothing acknowledged, nothing cleaned up, the connections just drop."""
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)

    def wait_for(self, condition: Callable[[], Any], what: str) -> None:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.1)
        self.fail(f"timed out waiting for {what}")

    def fail(self, message: str) -> None:
        logs = "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}"
            for log in sorted(self.folder.glob("*.log"))
        )
        pytest.fail(f"{message}\n{logs}")

    def release(self) -> None:
        (self.flags / "release").touch()

    def lines(self, name: str) -> list[str]:
        path = self.flags / name
        return path.read_text().splitlines() if path.exists() else []

    def stop_all(self) -> None:
        for worker in self.started:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)
                    worker.wait()


@pytest.fixture
def workers(real_services: None, tmp_path: Path) -> Iterator[Workers]:
    """Worker processes on every queue; stopped (or killed) after the test. The Redis db is
    emptied first: messages of earlier tests name rows that are gone."""
    redis_client().flushdb()
    harness = Workers(folder=tmp_path)
    harness.flags.mkdir()
    yield harness
    harness.stop_all()
    redis_client().flushdb()


def value(sql: str, *params: Any) -> Any:
    """One value, read where the workers write (the shared PostgreSQL test database)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def worker_backends() -> list[int]:
    return [
        pid
        for (pid,) in rows(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s"
            " AND datname = current_database()",
            WORKER_APPLICATION_NAME,
        )
    ]


def terminate_worker_backends() -> int:
    """What a PostgreSQL restart does to a worker: its connections are cut mid-transaction.
    Only this test database's worker connections, never the shared server."""
    killed = rows(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s"
        " AND datname = current_database()",
        WORKER_APPLICATION_NAME,
    )
    return sum(1 for (done,) in killed if done)


def rows(sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
