"""The registration certificate page in a real browser: choose a period, fix a mistake in
a date, wait on the progress page while a real worker renders the PDF, download it. Every page
is checked with axe-core."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from kpas.base.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SCHOOL_URN
from schools.certificate import END_BEFORE_START
from schools.models import Pupil

from .pages import SignInPage, Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COURTS = next(a for a in DEMO_ACCOUNTS if a.email.startswith("courts@"))


def screenshot(site: Site, name: str) -> None:
    folder = os.environ.get("KPAS_SCREENSHOT_DIR")
    if folder:
        site.page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def fill_date(site: Site, legend: str, day: str, month: str, year: str) -> None:
    group = site.page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_courts_team_produces_the_authoritys_copy(
    site: Site, celery_worker_all_queues, demo_accounts, tmp_path
):
    SignInPage(site).open().sign_in(COURTS.email, DEMO_PASSWORD)
    pupil = Pupil.objects.filter(enrolments__school__urn=DEMO_SCHOOL_URN).order_by("upn").first()
    site.goto(f"/schools/{DEMO_SCHOOL_URN}/pupils/{pupil.upn}/certificate/")
    assert site.heading == "Registration certificate"
    # The school year to date is offered.
    start = site.page.get_by_role("group", name="Start date")
    assert start.get_by_label("Year").input_value() in {"2025", "2026"}
    screenshot(site, "certificate-form")

    fill_date(site, "Start date", "1", "10", "2025")
    fill_date(site, "End date", "30", "9", "2025")
    button = site.page.get_by_role("button", name="Create the authority's copy (PDF)")
    site.click_and_load(button)
    assert site.title.startswith("Error: Registration certificate")
    assert site.error_summary_links() == [(END_BEFORE_START, "#end-day")]
    screenshot(site, "certificate-form-error")

    fill_date(site, "End date", "19", "12", "2025")
    site.click_and_load(button)
    assert site.heading == "The authority's copy of the attendance register"
    # The page polls, then reloads itself with the download once the worker has rendered it.
    link = site.page.get_by_role("link", name="Download authority-copy-of-register")
    link.wait_for(timeout=60_000)
    site.check_accessibility()
    screenshot(site, "certificate-ready")
    with site.page.expect_download() as download:
        link.click()
    path = tmp_path / "certificate.pdf"
    download.value.save_as(path)
    assert download.value.suggested_filename == (
        f"authority-copy-of-register-{pupil.upn}-20251001-20251219.pdf"
    )
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    assert pupil.upn in text and "Colin Carter" in text
    assert "not a certificate under section 566(1)(c)" in " ".join(text.split())
