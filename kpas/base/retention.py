"""How long the service keeps what it holds (docs/security.md, "Retention"), and the nightly
purge of what it may delete on its own.

The periods are settings (kpas/settings/base.py). Today the purge deletes only rendered
documents past `DOCUMENT_RETENTION_DAYS` (a document is re-rendered from the data on request)
and reports — without deleting — how much of the register, the audit log and the Digital
Front Door's submissions is past its period: deleting those is the authority's decision,
taken by its information-governance team, and the audit log cannot be deleted by the
application at all (ADR 0011).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kpas.base.audit import AuditAction, audit_record
from kpas.base.models import AuditEvent, Document

log = logging.getLogger(__name__)
PURGE_TASK = "kpas.retention.purge"
YEAR = timedelta(days=365)


def documents_purge(*, now: datetime) -> int:
    """Delete the rendered documents (ready or failed) requested before the period; the row
    that asked for one is its own record, so nothing else refers to it. Safe to run twice."""
    cutoff = now - timedelta(days=settings.DOCUMENT_RETENTION_DAYS)
    with transaction.atomic():
        stale = Document.objects.filter(
            requested_at__lt=cutoff,
            status__in=[Document.Status.READY, Document.Status.FAILED],
        )
        deleted, _ = stale.delete()
        if deleted:
            audit_record(
                actor=None,
                action=AuditAction.RETENTION_PURGED,
                detail={"documents": deleted, "before": cutoff.isoformat()},
            )
    return deleted


def past_retention(*, now: datetime) -> dict[str, int]:
    """How many audit events are older than their period (reported, never deleted here)."""
    audit_cutoff = now - settings.AUDIT_RETENTION_YEARS * YEAR
    return {"audit_events": AuditEvent.objects.filter(occurred_at__lt=audit_cutoff).count()}


@shared_task(name=PURGE_TASK, acks_late=True)
def retention_purge_task() -> dict[str, Any]:
    now = timezone.now()
    outcome: dict[str, Any] = {"documents_deleted": documents_purge(now=now)}
    outcome["past_retention_kept"] = past_retention(now=now)
    log.info("Retention purge: %s", outcome)
    return outcome
