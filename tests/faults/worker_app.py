"""The Celery app of a fault test's worker process (`celery -A tests.faults.worker_app`):
the project's app, with the test doubles registered that pause work mid-task."""

import django

django.setup()

from kpas.base.celery import app  # noqa: E402
from tests.faults.doubles import register_doubles  # noqa: E402

register_doubles()

__all__ = ["app"]
