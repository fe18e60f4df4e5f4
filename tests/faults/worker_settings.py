"""Settings of a worker process a fault test starts (tests/faults/conftest.py).

The test's own settings, with the test database the test shares with the worker (its
connections named so the test can cut them), an email backend that can wait mid-send, and
short times so the sweepers and Redis hand lost work on within a test.
"""

import os
from datetime import timedelta

import dj_database_url

from kpas.settings.test import *  # noqa: F403

DATABASES = {"default": dj_database_url.parse(os.environ["KPAS_WORKER_DATABASE_URL"])}
DATABASES["default"]["OPTIONS"] = {"application_name": os.environ["KPAS_WORKER_APPLICATION_NAME"]}
EMAIL_BACKEND = "tests.kpas.blocking_email.Backend"
# A render started longer ago than this is taken over by the sweeper.
DOCUMENTS_STUCK_AFTER = timedelta(seconds=float(os.environ.get("KPAS_TEST_STUCK_AFTER", "60")))
# Redis gives a killed worker's unacknowledged message to another worker after this long.
# Redis only looks for such messages every unacked_restore_interval x throttle seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("KPAS_TEST_VISIBILITY_TIMEOUT", "3600")),
    "unacked_restore_interval": int(os.environ.get("KPAS_TEST_RESTORE_INTERVAL", "10")),
    "unacked_restore_throttle": 1,
}
# No catch-up of tonight's jobs in a test's worker (tests/faults/test_nightly.py does that).
NIGHTLY_CATCH_UP = ()
