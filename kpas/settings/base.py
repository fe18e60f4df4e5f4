"""Settings shared by every environment; every environment variable is read here.

With nothing set the app runs embedded: SQLite and a filesystem Celery broker under var/.
With DATABASE_URL / REDIS_URL set it uses PostgreSQL and Redis.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from kpas.base import queues
from kpas.base.queues import TASK_ROUTES

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("KPAS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
PORT = int(os.environ.get("PORT", "8000"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our own static files, no CDN
    "crispy_forms",
    "crispy_forms_gds",
    "django_celery_beat",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "kpas.base",
    "schools",
    "referrals",
    "referrals.cases",
    "penalties",
    "returns",
    "kpas.tsm",
    "kpas.figures",
    "kpas.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files answer here, cached
    "kpas.site.middleware.NoStoreMiddleware",  # everything after: Cache-Control no-store
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kpas.site.middleware.SessionTimeoutMiddleware",
    "kpas.site.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "kpas.base.http_errors.ApplicationErrorMiddleware",
    "kpas.base.http_errors.HostileInputMiddleware",
]

ROOT_URLCONF = "kpas.site.urls"
WSGI_APPLICATION = "kpas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kpas.site.context_processors.service",
            ],
        },
    },
]

# Database: PostgreSQL when DATABASE_URL is set, else an SQLite file under var/.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'kpas.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The role the web and worker processes connect as, when migrations run as the database's
# owner (docker-compose.yml): after every migrate it may only INSERT and SELECT audit rows
# (kpas/base/db_grants.py; ADR 0011). Empty: one role does both (development, tests).
DATABASE_APP_ROLE = os.environ.get("DATABASE_APP_ROLE", "")

AUTH_USER_MODEL = "kpas.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failed sign-ins, with a cool-off (django-axes; docs/operating.md).
# An account is locked from one address after AXES_FAILURE_LIMIT failures, and from every
# address after AXES_ACCOUNT_FAILURE_LIMIT failures in all (guessing from many addresses).
AXES_FAILURE_LIMIT = "kpas.site.lockout.failure_limit"
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("AXES_ACCOUNT_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
# The cool-off runs from the failure that locked the account: attempts while it is locked are
# refused without being counted, so an attacker cannot keep the owner out for ever.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy the client's address is in X-Forwarded-For: it is believed only when
# TRUSTED_PROXY_COUNT proxies (each appending the address it saw) stand in front of the app,
# and only from TRUSTED_PROXY_ADDRESSES when set; otherwise the connection's address counts.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
TRUSTED_PROXY_ADDRESSES = env_list("TRUSTED_PROXY_ADDRESSES", [])
AXES_CLIENT_IP_CALLABLE = "kpas.site.lockout.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))  # private: never served directly
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAX_IMPORT_FILE_BYTES = int(os.environ.get("MAX_IMPORT_FILE_BYTES", str(200 * 1024 * 1024)))
# The most Python memory one import of a marks CSV or a CTF may take, whatever the file's size:
# files are read and staged a chunk at a time (issue 15 item 2). Size a worker by it; the
# tests import files many times the read chunk and hold each import under it.
IMPORT_MEMORY_CEILING_MB = int(os.environ.get("IMPORT_MEMORY_CEILING_MB", "48"))
# An upload still "received" or "processing" this long after it was queued is stuck (its
# worker lost): the import sweeper queues it again, at most IMPORT_MAX_REQUEUES times, then
# marks it failed. Longer than CELERY_TASK_TIME_LIMIT, so a task still running was killed.
IMPORT_STUCK_AFTER_SECONDS = int(os.environ.get("IMPORT_STUCK_AFTER_SECONDS", str(40 * 60)))
# The first school year (named by its start: 2018 is 2018/19) whose register the authority
# holds; marks before it, or after today, are refused (each year is a partition on PostgreSQL).
REGISTER_FIRST_YEAR = int(os.environ.get("REGISTER_FIRST_YEAR", "2018"))
IMPORT_MAX_REQUEUES = int(os.environ.get("IMPORT_MAX_REQUEUES", "3"))
# The progress page stops waiting after this long and says what happened and what to do.
IMPORT_PROGRESS_LIMIT_SECONDS = int(os.environ.get("IMPORT_PROGRESS_LIMIT_SECONDS", "600"))
# Digital Front Door evidence files (PDF, Word, PNG, JPEG), each at most this size.
DFD_EVIDENCE_MAX_BYTES = int(os.environ.get("DFD_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))

# Email: SMTP when EMAIL_HOST is set, else each message is saved as a file under var/mail.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kpas-no-reply@localhost")
# A stalled mail server must not hold a worker (and the outbox row's lock) for ever.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))

# Celery: Redis when REDIS_URL is set, else the filesystem transport under var/ (a real
# broker and real workers that need no server; never eager mode).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": 3600}
else:
    _broker_dir = VAR_DIR / "celery" / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{VAR_DIR / 'celery' / 'results'}"
    for _folder in (_broker_dir, VAR_DIR / "celery" / "control", VAR_DIR / "celery" / "results"):
        _folder.mkdir(parents=True, exist_ok=True)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 60 * 30
CELERY_TASK_SOFT_TIME_LIMIT = 60 * 25
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Beat's schedule is stored in PostgreSQL (the DatabaseScheduler above), never in Redis.
CELERY_TASK_ROUTES = TASK_ROUTES
CELERY_TASK_DEFAULT_QUEUE = queues.DEFAULT
# Seeded into the database by the DatabaseScheduler; editable in the admin afterwards.
CELERY_BEAT_SCHEDULE = {
    "evaluate-registers-nightly": {
        "task": "schools.evaluate_county",
        "schedule": crontab(hour=2, minute=0),
    },
    "sweep-outbox": {"task": "kpas.outbox.sweep", "schedule": crontab(minute="*/5")},
    "sweep-imports": {"task": "schools.sweep_imports", "schedule": crontab(minute="*/5")},
    "sweep-documents": {"task": "kpas.documents.sweep", "schedule": crontab(minute="*/2")},
    "retention-purge": {"task": "kpas.retention.purge", "schedule": crontab(hour=3, minute=45)},
    # Queues a nightly run below that never started (kpas/base/nightly.py, NIGHTLY_CATCH_UP).
    "nightly-catch-up": {"task": "kpas.nightly.catch_up", "schedule": crontab(minute="*/10")},
    "purge-dfd-drafts": {
        "task": "referrals.purge_dfd_drafts",
        "schedule": crontab(hour=3, minute=30),
    },
    # Statutory returns (returns/): entries after the nightly evaluation, then reminders.
    "returns-sync-nightly": {"task": "returns.sync_county", "schedule": crontab(hour=4, minute=0)},
    "returns-offrolling-nightly": {
        "task": "returns.offrolling_signals",
        "schedule": crontab(hour=4, minute=30),
    },
    "returns-reminders-daily": {
        "task": "returns.send_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
    # --- Targeting Support Meetings (kpas/tsm) ---
    "tsm-propose-year": {
        "task": "kpas.tsm.propose_year",
        "schedule": crontab(hour=4, minute=0, day_of_month=1, month_of_year=9),
    },
    "tsm-replan-termly": {
        "task": "kpas.tsm.replan_all",
        "schedule": crontab(hour=4, minute=30, day_of_month=8, month_of_year="1,4,11"),
    },
    "tsm-reminders": {"task": "kpas.tsm.send_reminders", "schedule": crontab(hour=6, minute=0)},
    # Penalty notices (penalties/): periods ended unpaid go to the Courts Team's decide list.
    "penalties-period-end": {
        "task": "penalties.nightly_period_end",
        "schedule": crontab(hour=2, minute=30),
    },
    # Casework (referrals/cases): due and overdue reminders, one digest per officer.
    "casework-daily-reminders": {
        "task": "cases.daily_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
}
# Once-a-day, idempotent beat entries that catch up when their run was missed (beat or the
# workers down at the time, the message lost with Redis): kpas/base/nightly.py.
NIGHTLY_CATCH_UP: tuple[str, ...] = (
    "evaluate-registers-nightly",
    "penalties-period-end",
    "returns-sync-nightly",
)
NIGHTLY_CATCH_UP_AFTER = timedelta(minutes=30)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "kpas.base.http_errors.api_exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "kpas.base.api_parsers.BoundedJSONParser",  # issue 15 item 2: depth and NUL bounded
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "TITLE": "KPAS school attendance service API",
    "DESCRIPTION": (
        "Registers, pupils, attendance statistics and alerts for the schools the signed-in "
        "user may see. Every endpoint is scoped exactly as the web pages are."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Several models have a `kind` or `status`: name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "ImportKindEnum": "schools.models.register.ImportBatch.Kind",
        "ImportStatusEnum": "schools.models.register.ImportBatch.Status",
        "AlertKindEnum": "schools.models.register.Alert.Kind",
        "SubmissionStatusEnum": "referrals.rules.Status",
    },
}

# SQLite cannot enforce "nulls not distinct" on TermDate; PostgreSQL does.
SILENCED_SYSTEM_CHECKS = ["models.W047"]

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# The service's name as shown in the GOV.UK header, and the authority it serves.
SERVICE_NAME = os.environ.get("SERVICE_NAME", "Kent PRU and Attendance Service")
AUTHORITY_NAME = os.environ.get("AUTHORITY_NAME", "Kent County Council")
# The authority's 3-digit LA number (Kent: 886), and how penalty notices' escalation window
# is read: "calendar" (the 3 years before the issue date) or "school_years" (Kent's 3 rolling
# school years). DOMAIN §5 [LA setting]; docs/penalties.md.
AUTHORITY_LA_CODE = os.environ.get("AUTHORITY_LA_CODE", "886")
PENALTY_ESCALATION_WINDOW = os.environ.get("PENALTY_ESCALATION_WINDOW", "calendar")
# What every penalty notice letter says about paying and whom to contact (2007 regs reg 9 as
# amended by SI 2024/210; KSAH §15 iv) [LA settings]. Kent-like defaults: an authority sets
# its own payment page, payment line, postal payments and Courts Team contact before issuing.
PENALTY_PAYMENT_URL = os.environ.get("PENALTY_PAYMENT_URL", "https://www.kent.gov.uk/penaltynotice")
PENALTY_PAYMENT_PHONE = os.environ.get("PENALTY_PAYMENT_PHONE", "03000 41 21 21")
PENALTY_PAYMENT_POST = os.environ.get(
    "PENALTY_PAYMENT_POST",
    "a cheque or postal order payable to Kent County Council, with the reference written on "
    "the back, to KPAS Courts Team (Payments), Sessions House, County Road, Maidstone ME14 1XQ",
)
PENALTY_CONTACT_NAME = os.environ.get("PENALTY_CONTACT_NAME", "KPAS Courts Team")
PENALTY_CONTACT_PHONE = os.environ.get("PENALTY_CONTACT_PHONE", "03000 41 81 81")
PENALTY_CONTACT_EMAIL = os.environ.get("PENALTY_CONTACT_EMAIL", "kpas.courts@kent.gov.uk")
PENALTY_CONTACT_ADDRESS = os.environ.get(
    "PENALTY_CONTACT_ADDRESS",
    "Kent PRU and Attendance Service, Sessions House, County Road, Maidstone ME14 1XQ",
)
# Statutory returns (returns/; DOMAIN §8 [LA setting]): Kent's termly cycle, due within 10
# school days of the next term's start; "monthly" is the DfE's minimum frequency. A
# consecutive-sickness return is due "without delay": the next school day.
RETURNS_CYCLE = os.environ.get("RETURNS_CYCLE", "termly")
RETURNS_DUE_SCHOOL_DAYS = int(os.environ.get("RETURNS_DUE_SCHOOL_DAYS", "10"))
RETURNS_WITHOUT_DELAY_SCHOOL_DAYS = int(os.environ.get("RETURNS_WITHOUT_DELAY_SCHOOL_DAYS", "1"))
# Off-rolling signal (d): a pupil on roll with no marks in the register imports for this many
# school days (Kent reading: the CME window, KSAH §22).
RETURNS_STOPPED_APPEARING_SCHOOL_DAYS = int(
    os.environ.get("RETURNS_STOPPED_APPEARING_SCHOOL_DAYS", "10")
)
RETURNS_REMINDER_SCHOOL_DAYS_BEFORE = int(
    os.environ.get("RETURNS_REMINDER_SCHOOL_DAYS_BEFORE", "5")
)
# --- Targeting Support Meetings (kpas/tsm; DOMAIN §12) [LA settings] ---
# Frequency for schools with no national figure (PRUs): "termly" or "yearly".
TSM_NO_NATIONAL_FIGURE_FREQUENCY = os.environ.get("TSM_NO_NATIONAL_FIGURE_FREQUENCY", "termly")
TSM_OFFICER_DAILY_LIMIT = int(os.environ.get("TSM_OFFICER_DAILY_LIMIT", "2"))
TSM_REMINDER_DAYS = int(os.environ.get("TSM_REMINDER_DAYS", "7"))

# --- Retention (docs/security.md, "Retention") [LA settings] ---
# Register entries are kept at least 6 years (2024 regulations, reg 7; DOMAIN.md): a shorter
# period is refused. The audit log and Digital Front Door submissions: years after the event
# or the submission's closing. Rendered documents: days, since any is rendered again from the
# data. Only documents are purged automatically (kpas/base/retention.py); the others are
# reported nightly, for the authority to act on.
REGISTER_RETENTION_YEARS = int(os.environ.get("REGISTER_RETENTION_YEARS", "6"))
if REGISTER_RETENTION_YEARS < 6:
    raise ImproperlyConfigured("REGISTER_RETENTION_YEARS must be at least 6 (2024 regs, reg 7).")
AUDIT_RETENTION_YEARS = int(os.environ.get("AUDIT_RETENTION_YEARS", "7"))
SUBMISSION_RETENTION_YEARS = int(os.environ.get("SUBMISSION_RETENTION_YEARS", "6"))
DOCUMENT_RETENTION_DAYS = int(os.environ.get("DOCUMENT_RETENTION_DAYS", "90"))

SESSION_COOKIE_HTTPONLY = True
# A session ends after this long without a request, and this long after signing in whatever
# the activity (kpas.site.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT_MINUTES", "30")) * 60
SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("SESSION_ABSOLUTE_TIMEOUT_HOURS", "8")) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link works for one hour
# Two-factor sign-in (django-otp, TOTP): the name authenticator apps show for the account.
OTP_TOTP_ISSUER = SERVICE_NAME
# Content Security Policy (django-csp 4): scripts and styles from our own origin only (no
# inline script or style attribute anywhere); the API docs' Swagger UI gets a nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint and fontTools narrate every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
