"""Thin, named, idempotent tasks for penalty notices."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.utils import timezone

from kpas.base.queues import TASK_OPTIONS
from penalties.payments import notices_period_end


@shared_task(name="penalties.nightly_period_end", bind=True, **TASK_OPTIONS)
def nightly_period_end_task(self: Any) -> int:
    """Notices whose payment period ended unpaid go to the Courts Team's "decide" list.
    Running it twice (a retry, a second beat) changes nothing the second time."""
    return notices_period_end(today=timezone.localdate())
