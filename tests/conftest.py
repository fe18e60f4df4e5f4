"""Fixtures shared by every test package."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _two_factor_verified_test_sign_ins(monkeypatch):  # type: ignore[no-untyped-def]
    """A test client's sign-in (force_login, login) is verified as if the code was entered.

    Authority staff must confirm a code from their authenticator app after the password; a
    test that signs a client in as one gets a real confirmed TOTP device and a session that
    device verified (tests/two_factor.py). The two-factor tests sign in through the pages."""
    from django.test.client import ClientMixin

    from tests.two_factor import verify_client_session

    original = ClientMixin._login

    def _login(self, user, backend=None):  # type: ignore[no-untyped-def]
        original(self, user, backend)
        verify_client_session(self, user)

    monkeypatch.setattr(ClientMixin, "_login", _login)


@pytest.fixture
def demo_world(db):  # type: ignore[no-untyped-def]
    """The small demo: Kent's structure, two schools, a few pupils, a year of marks."""
    from django.core import mail

    call_command("seed_demo", "--small", verbosity=0)
    mail.outbox.clear()  # the demo's own submissions email their teams: not the test's mail


@pytest.fixture
def celery_worker_all_queues(transactional_db):  # type: ignore[no-untyped-def]
    """A real worker (solo pool) on the configured broker, consuming every queue."""
    from celery.contrib.testing.worker import start_worker

    from kpas.base.celery import app
    from kpas.base.queues import ALL_QUEUES

    app.control.purge()  # tasks queued by earlier tests, whose data is gone
    with start_worker(
        app,
        pool="solo",
        perform_ping_check=False,
        shutdown_timeout=10,
        queues=list(ALL_QUEUES),
    ) as worker:
        yield worker
