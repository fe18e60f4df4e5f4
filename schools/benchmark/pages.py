"""Server time of the attendance pages, for `manage.py bench` (targets: dashboard of a
1,500-pupil school <= 200 ms, pupil record <= 100 ms, on PostgreSQL at county scale).

Each page is rendered through Django's test Client — the whole request: middleware,
session, queries, NumPy and template rendering — signed in as a county-wide user, once to
warm up and then `repeats` times. As in production: DEBUG off (no query log kept), and
Django's cached template loader (the default when no loaders are configured).
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from kpas.base.models import User
from kpas.base.roles import Role

BENCH_USER_EMAIL = "bench-pages@kpas.invalid"
# DEBUG off wants a collected static manifest; the benchmark has none, and looking a name up
# in one costs what the plain storage costs.
PAGE_STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def _bench_user() -> User:
    """A county-wide (Courts Team) account used only to render the pages."""
    user, created = User.objects.get_or_create(
        email=BENCH_USER_EMAIL,
        defaults={"full_name": "Page benchmark", "role": Role.COURTS_TEAM},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def _measure(client: Client, url: str, repeats: int) -> dict[str, Any]:
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    first = (time.perf_counter() - start) * 1000
    query_count = len(queries)  # now: later requests reset the connection's query log
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "url": url,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(_percentile(times, 0.95), 1),
        "max_ms": round(max(times), 1),
        "first_ms": round(first, 1),
        "queries": query_count,
        "bytes": len(response.content),
    }


def _sign_in(client: Client, user: User) -> None:
    """Signed in as a person who has entered their code: the authority's staff need a second
    factor (ADR 0014), so the benchmark's accounts hold a confirmed device of their own."""
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="benchmark", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def measure_pages(
    school_urn: str, upn: str, repeats: int = 20, *, as_of: date | None = None
) -> dict[str, Any]:
    """Median and 95th-percentile server time (ms) of a school's dashboard and a pupil's
    record. `as_of` shows the figures on an earlier day (default: today; a school with no
    marks this year shows its latest year with marks)."""
    user = _bench_user()
    query = f"?as_of={as_of.isoformat()}" if as_of else ""
    pages = {
        "dashboard": reverse("schools:school-dashboard", kwargs={"urn": school_urn}) + query,
        "pupil_record": reverse("schools:pupil-detail", kwargs={"urn": school_urn, "upn": upn})
        + query,
    }
    hosts = ["testserver", *settings.ALLOWED_HOSTS]
    # The record view audits every read. The benchmark's reads stay in the log under its own
    # account: the audit is append-only (ADR 0011), so nothing may tidy it away.
    with override_settings(ALLOWED_HOSTS=hosts, DEBUG=False, STORAGES=PAGE_STORAGES):
        client = Client()
        _sign_in(client, user)
        figures: dict[str, Any] = {
            name: _measure(client, url, repeats) for name, url in pages.items()
        }
    figures.update(
        {"school_urn": school_urn, "upn": upn, "repeats": repeats, "database": connection.vendor}
    )
    return figures


BENCH_OFFICER_EMAIL = "bench-officer@kpas.invalid"
OFFICER_SCHOOLS = 25  # a linked officer's usual number of schools


def _bench_officer(schools: list[Any]) -> User:
    """An attendance officer linked to the first `OFFICER_SCHOOLS` schools given."""
    officer, _ = User.objects.get_or_create(
        email=BENCH_OFFICER_EMAIL,
        defaults={"full_name": "Officer benchmark", "role": Role.ATTENDANCE_OFFICER},
    )
    for school in schools[:OFFICER_SCHOOLS]:
        if school.attendance_officer_id != officer.pk:
            school.attendance_officer = officer
            school.save(update_fields=["attendance_officer"])
    return officer


def measure_home_pages(schools: list[Any], repeats: int = 20) -> dict[str, Any]:
    """Server time of the authority's county dashboard (county-wide user, every school) and
    an officer's home page (25 linked schools): both read precomputed figures (issue 14;
    targets 200 ms and 100 ms)."""
    hosts = ["testserver", *settings.ALLOWED_HOSTS]
    with override_settings(ALLOWED_HOSTS=hosts, DEBUG=False, STORAGES=PAGE_STORAGES):
        county = Client()
        _sign_in(county, _bench_user())
        officer = Client()
        _sign_in(officer, _bench_officer(schools))
        return {
            "county_dashboard": _measure(county, reverse("figures:county"), repeats),
            "officer_home": _measure(officer, reverse("home"), repeats),
            "officer_schools": min(OFFICER_SCHOOLS, len(schools)),
            "schools": len(schools),
        }
