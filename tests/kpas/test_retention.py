"""Retention (docs/security.md): the periods are settings, the register's cannot go below
6 years (2024 regulations, reg 7; DOMAIN.md), and the nightly purge deletes rendered documents
past their period — audited — while only reporting the audit log's."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from kpas.base.audit import AuditAction, audit_record
from kpas.base.models import AuditEvent, Document
from kpas.base.retention import PURGE_TASK, documents_purge, past_retention, retention_purge_task

pytestmark = pytest.mark.django_db


def document(key: str, *, days_old: int, status: str = Document.Status.READY) -> Document:
    return Document.objects.create(
        kind="test.kind",
        key=key,
        status=status,
        requested_at=timezone.now() - timedelta(days=days_old),
    )


def test_rendered_documents_past_their_period_are_deleted_and_the_purge_audited():
    period = settings.DOCUMENT_RETENTION_DAYS
    old = document("old", days_old=period + 1)
    failed = document("failed", days_old=period + 1, status=Document.Status.FAILED)
    pending = document("pending", days_old=period + 1, status=Document.Status.PENDING)
    recent = document("recent", days_old=period - 1)
    assert documents_purge(now=timezone.now()) == 2
    assert set(Document.objects.values_list("pk", flat=True)) == {pending.pk, recent.pk}
    assert not Document.objects.filter(pk__in=[old.pk, failed.pk]).exists()
    event = AuditEvent.objects.get(action=AuditAction.RETENTION_PURGED)
    assert event.detail["documents"] == 2
    assert documents_purge(now=timezone.now()) == 0  # safe to run twice
    assert AuditEvent.objects.filter(action=AuditAction.RETENTION_PURGED).count() == 1


def test_the_audit_log_past_its_period_is_reported_never_deleted():
    event = audit_record(actor=None, action=AuditAction.CASE_VIEWED)
    later = timezone.now() + (settings.AUDIT_RETENTION_YEARS + 1) * timedelta(days=365)
    assert past_retention(now=later) == {"audit_events": 1}
    outcome = retention_purge_task.run()
    assert outcome["documents_deleted"] == 0
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_purge_runs_nightly_on_the_nightly_queue():
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert PURGE_TASK in schedule
    assert settings.CELERY_TASK_ROUTES["kpas.retention.*"] == {"queue": "nightly"}


def test_registers_cannot_be_kept_less_than_six_years():
    code = "import django; django.setup()"
    env = {"DJANGO_SETTINGS_MODULE": "kpas.settings.test", "REGISTER_RETENTION_YEARS": "5"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "REGISTER_RETENTION_YEARS must be at least 6" in result.stderr
    assert settings.REGISTER_RETENTION_YEARS >= 6
