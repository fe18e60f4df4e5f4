"""Real-browser journeys: Debian's Chromium driven by Playwright's sync API.

Every page a test loads is checked with axe-core (see pages.Site); a test fails if it
loaded a page that was never checked.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command

from kpas.base.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SCHOOL_URN

from .pages import Site

# Playwright's sync API runs an event loop in this thread; Django then refuses ORM calls
# from it (fixtures, assertions on the database) unless told it is safe. It is: the loop
# only drives the browser.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SEED_DEMO = (
    Path(__file__).resolve().parents[2]
    / "kpas"
    / "site"
    / "management"
    / "commands"
    / "seed_demo.py"
)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium not installed: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(browser, live_server) -> Iterator[Site]:  # type: ignore[no-untyped-def]
    # axe-core is added to each page as a script tag, which the Content Security Policy
    # would block: these contexts bypass it. test_csp.py browses with the policy enforced.
    context = browser.new_context(base_url=live_server.url, locale="en-GB", bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    site = Site(page)
    yield site
    context.close()
    site.assert_every_page_checked()


@pytest.fixture
def demo_accounts(transactional_db) -> tuple:  # type: ignore[no-untyped-def]
    """The demo sign-ins, from `seed_demo --small` when the project has it."""
    from django.core import mail

    if SEED_DEMO.exists():
        call_command("seed_demo", "--small", verbosity=0)
    else:
        _create_minimal_demo()
    mail.outbox.clear()  # the demo's own submissions email their teams: not the test's mail
    return DEMO_ACCOUNTS


def _create_minimal_demo() -> None:
    """One area, district and school, and every demo account linked to it."""
    from kpas.base.models import Area, District, User
    from kpas.base.roles import SCHOOL_ROLES, Role
    from schools.models import School, SchoolMembership

    area = Area.objects.create(name="West")
    district = District.objects.create(area=area, name="Maidstone")
    school = School.objects.create(
        urn=DEMO_SCHOOL_URN,
        name="Oakfield Primary School",
        phase=School.Phase.PRIMARY,
        school_type=School.Type.MAINTAINED,
        district=district,
    )
    for account in DEMO_ACCOUNTS:
        user = User.objects.create_user(
            account.email,
            DEMO_PASSWORD,
            full_name=account.full_name,
            role=account.role,
            area=area if account.role == Role.AREA_MANAGER else None,
            is_staff=account.role == Role.SERVICE_ADMIN,
            is_superuser=account.role == Role.SERVICE_ADMIN,
        )
        if account.role in SCHOOL_ROLES:
            SchoolMembership.objects.create(user=user, school=school)
        elif account.role == Role.ATTENDANCE_OFFICER:
            school.attendance_officer = user
        elif account.role == Role.EXCLUSION_ADVISER:
            school.exclusion_adviser = user
    school.save()
