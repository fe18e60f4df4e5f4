"""The audit trail's pages in a real browser (issue 15 item 3): the service administrator's
subject-access export — a mistake in the UPN, then the download — and the authority's view of
the changes to a pupil's record. Every page is checked with axe-core and at 320 px."""

from __future__ import annotations

import json

import pytest

from kpas.base.audit import AuditAction
from kpas.base.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SCHOOL_URN
from kpas.base.models import AuditEvent
from schools.models import RecordChange

from .pages import SignInPage, Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN = next(a for a in DEMO_ACCOUNTS if a.email.startswith("admin@"))
COURTS = next(a for a in DEMO_ACCOUNTS if a.email.startswith("courts@"))


def test_subject_access_export_and_the_records_history(site: Site, demo_accounts, tmp_path):
    change = (
        RecordChange.objects.filter(pupil__enrolments__school__urn=DEMO_SCHOOL_URN)
        .select_related("pupil")
        .first()
    )
    assert change is not None, "the demo keeps history of what its files changed"
    pupil = change.pupil

    SignInPage(site).open().sign_in(ADMIN.email, DEMO_PASSWORD)
    link = site.page.get_by_role(
        "link", name="Subject-access export: everything held about a pupil"
    )
    site.click_and_load(link)
    assert site.heading == "Subject-access export"
    button = site.page.get_by_role("button", name="Download the export (JSON)")
    site.click_and_load(button)
    assert site.title.startswith("Error: Subject-access export")
    assert site.error_summary_links() == [("Enter the pupil's UPN", "#upn")]
    site.page.get_by_label("Pupil's UPN").fill("X000000000000")
    site.click_and_load(button)
    assert site.error_summary_links() == [("No pupil with UPN X000000000000 is held.", "#upn")]

    site.page.get_by_label("Pupil's UPN").fill(pupil.upn.lower())
    with site.page.expect_download() as download:
        button.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith(f"subject-access-{pupil.upn}-")
    export = json.loads(saved.read_text())
    assert export["upn"] == pupil.upn and export["sections"]["record_history"]["rows"]
    assert AuditEvent.objects.filter(action=AuditAction.SUBJECT_ACCESS_EXPORTED).count() == 1
    site.sign_out()

    SignInPage(site).open().sign_in(COURTS.email, DEMO_PASSWORD)
    site.goto(f"/schools/{DEMO_SCHOOL_URN}/pupils/{pupil.upn}/")
    history = site.page.get_by_role("region", name=f"Changes to {pupil.display_name}'s record")
    assert history.count() == 1
    assert change.after in history.inner_text()
