"""Issue 14 journeys in a real browser, every page checked with axe-core: a head teacher acts
on three items of the school's to-do list; an officer accepts the proposed Targeting Support
Meetings and completes a Record of Consultation, then makes its PDF."""

from __future__ import annotations

import pytest

from kpas.base.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from kpas.tsm.models import Meeting, Record
from referrals.models import Submission

from .pages import SignInPage, Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEAD = next(a for a in DEMO_ACCOUNTS if a.email.startswith("head@"))
OFFICER = next(a for a in DEMO_ACCOUNTS if a.email.startswith("ao@"))


def test_head_acts_on_three_items_of_the_to_do_list(site: Site, demo_accounts) -> None:
    SignInPage(site).open().sign_in(HEAD.email, DEMO_PASSWORD)
    site.goto("/")
    page = site.page
    assert page.get_by_role("heading", name="What needs doing").is_visible()
    assert "Figures to" in page.locator("#register-freshness").inner_text()
    # 1. Agree the proposed meeting dates the authority is waiting for.
    site.click_and_load(page.get_by_role("link", name="Agree or move the dates"))
    site.click_and_load(page.get_by_role("button", name="Agree all proposed dates"))
    assert "You agreed" in page.locator(".govuk-notification-banner").inner_text()
    assert (
        not Meeting.objects.filter(agreed_by_school=False, status="proposed")
        .exclude(date=None)
        .filter(school__staff__email=HEAD.email)
        .exists()
    )
    # 2. Send a form about a named pupil: the pupil is already chosen.
    site.goto("/")
    link = page.get_by_role("link", name="Send a form about this pupil").first
    site.click_and_load(link)
    assert page.locator("h1").inner_text() == "Send a form about this pupil"
    upn = page.locator(".govuk-caption-l").inner_text().split("(")[-1].rstrip(")")
    site.click_and_load(page.get_by_role("link").filter(has_text="penalty notice").first)
    site.click_and_load(page.get_by_role("button").filter(has_text="Start").first)
    assert page.get_by_label("What is the pupil's unique pupil number (UPN)?").input_value() == upn
    assert Submission.objects.filter(status="draft", answers__upn=upn).exists()
    # 3. Follow an overdue N code or a return to its list.
    site.goto("/")
    see_all = page.get_by_role("link", name="See every N code")
    if see_all.count() == 0:  # the demo school may have no overdue N: a return then
        see_all = page.get_by_role("link", name="See returns due")
    site.click_and_load(see_all.first)
    assert page.locator("h1").is_visible()
    site.assert_every_page_checked()


def test_officer_accepts_meetings_and_completes_a_record(
    site: Site, celery_worker_all_queues, demo_accounts
) -> None:
    SignInPage(site).open().sign_in(OFFICER.email, DEMO_PASSWORD)
    site.goto("/meetings/")
    page = site.page
    site.click_and_load(page.get_by_role("button", name="Agree all proposed dates"))
    assert "You agreed" in page.locator(".govuk-notification-banner").inner_text()
    held = Meeting.objects.filter(officer__email=OFFICER.email).exclude(date=None).order_by("date")
    first = held.first()
    assert first is not None and first.agreed_by_officer
    site.goto(f"/meetings/{first.pk}/")
    assert page.get_by_role("heading", name="The pack").is_visible()
    page.get_by_label("Who attended").fill("Head teacher, SAC, KPAS attendance officer")
    page.get_by_label("Whole-school attendance: what was discussed").fill(
        "Attendance below the national average; illness in the autumn term."
    )
    page.locator("#id_action_0_description").fill("Agree joint plans for severely absent pupils")
    page.locator("#id_action_0_owner_side-school").check()
    page.locator("#id_action_0_owner").fill("Senior Attendance Champion")
    page.locator("#id_action_0_day").fill("15")
    page.locator("#id_action_0_month").fill("1")
    page.locator("#id_action_0_year").fill("2027")
    site.click_and_load(page.get_by_role("button", name="Complete the record"))
    assert "The Record of Consultation is completed." in page.content()
    assert Record.objects.filter(meeting=first).exists()
    site.click_and_load(page.get_by_role("button", name="Create the Record of Consultation (PDF)"))
    page.get_by_role("link", name="Download").first.wait_for(timeout=60_000)
    site.check_accessibility()
    site.assert_every_page_checked()


def test_officer_reads_the_dashboard_anonymised_and_downloads_it(
    site: Site, demo_accounts, tmp_path
) -> None:
    SignInPage(site).open().sign_in(OFFICER.email, DEMO_PASSWORD)
    site.goto("/dashboards/")
    page = site.page
    assert page.get_by_role("heading", name="Attendance by week and by term").is_visible()
    chart = page.get_by_role("img", name="Weekly attendance, all schools you can see")
    assert chart.count() == 1 and page.locator("#weeks tbody tr").count() > 0
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)  # to look at
    site.click_and_load(page.get_by_role("link", name="Hide school names (for forums)"))
    names = page.locator("#schools tbody th").all_inner_texts()
    assert names and all(name.startswith("School ") for name in names)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download every table as a spreadsheet (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    site.assert_every_page_checked()
