"""The registration certificate page in a real browser: choose a period, fix a mistake in
a date, download the PDF. Every page is checked with axe-core."""

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


def test_courts_team_produces_a_certificate(site: Site, demo_accounts, tmp_path):
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
    site.click_and_load(site.page.get_by_role("button", name="Create the certificate (PDF)"))
    assert site.title.startswith("Error: Registration certificate")
    assert site.error_summary_links() == [(END_BEFORE_START, "#end-day")]
    screenshot(site, "certificate-form-error")

    fill_date(site, "End date", "19", "12", "2025")
    with site.page.expect_download() as download:
        site.page.get_by_role("button", name="Create the certificate (PDF)").click()
    path = tmp_path / "certificate.pdf"
    download.value.save_as(path)
    assert download.value.suggested_filename == (
        f"registration-certificate-{pupil.upn}-20251001-20251219.pdf"
    )
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    assert pupil.upn in text and "Colin Carter" in text
