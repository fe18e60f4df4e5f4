"""Settings of a worker process a test starts and kills (tests/kpas/test_worker_killed.py).

The test's own settings, with the database the test shares with the worker, an email backend
that can block mid-send, and a short "stuck" time so the sweeper hands a killed render on.
"""

import os
from datetime import timedelta

import dj_database_url

from kpas.settings.test import *  # noqa: F403

DATABASES = {"default": dj_database_url.parse(os.environ["KPAS_WORKER_DATABASE_URL"])}
EMAIL_BACKEND = "tests.kpas.blocking_email.Backend"
DOCUMENTS_STUCK_AFTER = timedelta(seconds=1)
