"""The Celery app for a worker process a test starts: the project's app, with the test-only
document kinds registered (`celery -A tests.kpas.worker_app worker`)."""

import django

django.setup()

from kpas.base.celery import app  # noqa: E402
from tests.kpas.document_kinds import register_test_kinds  # noqa: E402

register_test_kinds()

__all__ = ["app"]
