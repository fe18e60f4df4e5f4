"""The attendance pages in a real browser: a school's dashboard, its pupil list and a pupil's
record, reached the way school staff and KPAS officers reach them; every page axe-checked.

Set KPAS_SCREENSHOTS to a folder to keep full-page screenshots of the dashboard and record.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from kpas.base.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SCHOOL_URN
from kpas.base.roles import Role

from .pages import SignInPage, Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACCOUNTS = {account.role: account for account in DEMO_ACCOUNTS}
HEAD = ACCOUNTS[Role.HEADTEACHER]
SAC = ACCOUNTS[Role.SENIOR_ATTENDANCE_CHAMPION]
OFFICER = ACCOUNTS[Role.ATTENDANCE_OFFICER]
DEMO_SCHOOL = "Oakfield Primary School"
OTHER_SCHOOL_URN = "118002"  # in the small demo too, not the head's school


def sign_in(site: Site, account) -> None:  # type: ignore[no-untyped-def]
    response = SignInPage(site).open().sign_in(account.email, DEMO_PASSWORD)
    assert response is not None and response.ok
    assert site.heading == account.home_heading


def screenshot(site: Site, tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("KPAS_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    site.page.screenshot(path=str(path), full_page=True)
    return path


def test_school_staff_open_their_dashboard_and_no_other(site: Site, demo_accounts, tmp_path):  # type: ignore[no-untyped-def]
    sign_in(site, HEAD)
    site.click_and_load(
        site.page.get_by_role("link", name=f"See {DEMO_SCHOOL}'s attendance dashboard")
    )
    assert site.heading == DEMO_SCHOOL
    assert site.page.url.endswith(f"/schools/{DEMO_SCHOOL_URN}/")
    figures = site.page.get_by_role("list", name="Key figures")
    assert "Attendance this year" in figures.inner_text()
    assert re.search(r"\d+\.\d%", figures.inner_text())
    rates = site.page.get_by_role("table", name=re.compile("beside the published averages"))
    assert "National average" in rates.inner_text()

    # The chart's figures are also a table, behind a details component.
    chart = site.page.get_by_role("img", name=re.compile("Weekly attendance"))
    assert chart.is_visible()
    site.page.get_by_text("Show the figures as a table").click()
    assert site.page.get_by_role("table", name="Attendance and absence by school week").is_visible()
    site.check_accessibility()  # again, with the details open
    screenshot(site, tmp_path, "dashboard")

    # Another school's dashboard is simply not found.
    response = site.goto(f"/schools/{OTHER_SCHOOL_URN}/")
    assert response is not None and response.status == 404
    assert site.heading == "Page not found"


def test_officer_goes_from_a_linked_school_to_a_pupil_record(site: Site, demo_accounts, tmp_path):  # type: ignore[no-untyped-def]
    sign_in(site, OFFICER)
    site.click_and_load(site.page.get_by_role("link", name="Schools", exact=True))
    site.click_and_load(
        site.page.get_by_role("link", name=re.compile(rf"^{DEMO_SCHOOL}\s*: attendance dashboard"))
    )
    assert site.heading == DEMO_SCHOOL
    assert "KPAS officers do not take lists" in site.page.inner_text("main")

    site.click_and_load(site.page.get_by_role("link", name=re.compile(r"See all \d+ pupils")))
    assert site.heading == "All pupils on roll"
    site.click_and_load(site.page.get_by_role("link", name="Name", exact=True))
    assert site.page.locator("th[aria-sort=ascending]").inner_text().startswith("Name")

    first_pupil = site.page.locator("tbody .govuk-table__cell a.govuk-link").first
    surname, forename = (part.strip() for part in first_pupil.inner_text().split(","))
    site.click_and_load(first_pupil)
    assert site.heading == f"{forename} {surname}"
    register = site.page.get_by_role("table", name=re.compile("a month per row"))
    assert register.is_visible()
    assert site.page.get_by_role("heading", name="Parents and carers").is_visible()
    assert site.page.get_by_role(
        "heading", name="Digital Front Door submissions and cases"
    ).is_visible()
    site.page.get_by_text("Show the days not marked present as a list").click()
    site.check_accessibility()
    screenshot(site, tmp_path, "pupil-record")


def test_filtering_the_pupil_list_and_the_n_codes(site: Site, demo_accounts):  # type: ignore[no-untyped-def]
    sign_in(site, SAC)
    site.goto(f"/schools/{DEMO_SCHOOL_URN}/pupils/")
    site.page.get_by_label("Group", exact=True).select_option("persistent")
    site.click_and_load(site.page.get_by_role("button", name="Apply filters"))
    assert site.heading == "Persistently absent"
    assert "group=persistent" in site.page.url
    assert site.page.get_by_label("Group", exact=True).input_value() == "persistent"

    site.goto(f"/schools/{DEMO_SCHOOL_URN}/n-codes/")
    assert site.heading == "N codes awaiting a reason"


@pytest.mark.parametrize("width", [320, 375])
def test_the_schools_pages_do_not_scroll_sideways_on_a_small_screen(
    site: Site, demo_accounts, width
):  # type: ignore[no-untyped-def]
    # WCAG 1.4.10 (reflow), issue 10 item 16: wide tables scroll inside a focusable, named
    # region; the page itself is no wider than the screen.
    site.page.set_viewport_size({"width": width, "height": 800})
    sign_in(site, SAC)

    def page_width() -> int:
        return int(site.page.evaluate("document.documentElement.scrollWidth"))

    site.goto(f"/schools/{DEMO_SCHOOL_URN}/")
    site.page.get_by_text("Show the figures as a table").click()
    assert page_width() <= width, "dashboard"
    regions = site.page.locator(".kpas-table-container")
    for index in range(regions.count()):
        region = regions.nth(index)
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("aria-labelledby") or region.get_attribute("aria-label")

    site.goto(f"/schools/{DEMO_SCHOOL_URN}/pupils/")
    assert page_width() <= width, "pupil list"
    site.goto(f"/schools/{DEMO_SCHOOL_URN}/n-codes/")
    assert page_width() <= width, "N codes"
    site.goto(f"/schools/{DEMO_SCHOOL_URN}/pupils/")
    site.click_and_load(site.page.locator("tbody .govuk-table__cell a.govuk-link").first)
    site.page.get_by_text("Show the days not marked present as a list").click()
    assert page_width() <= width, "pupil record"
    site.goto("/schools/")
    assert page_width() <= width, "schools"
