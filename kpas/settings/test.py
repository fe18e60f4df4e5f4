"""Settings for pytest: fast password hashing, email kept in memory."""

from kpas.settings.base import *  # noqa: F403
from kpas.settings.base import DATABASES, REDIS_URL, SECRET_KEY, VAR_DIR

SECRET_KEY = SECRET_KEY or "insecure-test-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
# No nightly catch-up unless a test asks for it (tests/faults/test_nightly.py).
NIGHTLY_CATCH_UP = ()

# Serve static files straight from static/ without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tests get their own broker folders, so a development worker never takes a test's tasks.
if not REDIS_URL:
    _test_broker = VAR_DIR / "test-celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_test_broker / "broker"),
        "data_folder_out": str(_test_broker / "broker"),
        "control_folder": str(_test_broker / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{_test_broker / 'results'}"
    for _folder in ("broker", "control", "results"):
        (_test_broker / _folder).mkdir(parents=True, exist_ok=True)

# The audit log refuses TRUNCATE on PostgreSQL (kpas/base/migrations/0005_audit_trigger.py);
# the test runner empties every table with TRUNCATE between transactional tests, so test
# connections say so. UPDATE and DELETE of audit rows stay refused in tests too.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c kpas.audit_truncate=allow"
