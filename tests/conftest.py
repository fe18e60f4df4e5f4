"""Fixtures shared by every test package."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_world(db):  # type: ignore[no-untyped-def]
    """The small demo: Kent's structure, two schools, a few pupils, a year of marks."""
    from django.core import mail

    call_command("seed_demo", "--small", verbosity=0)
    mail.outbox.clear()  # the demo's own submissions email their teams: not the test's mail
