"""Named Celery tasks of the Digital Front Door (thin: they call a service)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from kpas.base.queues import TASK_OPTIONS
from referrals.services import drafts_purge

PURGE_DRAFTS_TASK = "referrals.purge_dfd_drafts"


@shared_task(name=PURGE_DRAFTS_TASK, **TASK_OPTIONS)
def purge_dfd_drafts_task() -> int:
    """Nightly, on beat: delete stale drafts and their files. Safe to run twice."""
    return drafts_purge(now=timezone.now())
