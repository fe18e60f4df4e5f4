"""Journey: a school's "Returns due" to a sent return that the authority sees as sent
(reg 13; KSAH §24; docs/returns.md)."""

from __future__ import annotations

from datetime import date

import pytest

from kpas.base.demo_accounts import DEMO_SCHOOL_URN
from returns.models import ReturnEntry
from returns.services import return_entries_sync
from schools.models import Alert, Mark, School

from .test_dfd_pathways import AO, OFFICE, TODAY, door, world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_school_sends_its_returns_due_and_the_authority_sees_them_sent(door, world, monkeypatch):  # type: ignore[no-untyped-def]  # noqa: F811
    monkeypatch.setattr("returns.views.today", lambda: TODAY)
    school = School.objects.get(urn=DEMO_SCHOOL_URN)
    pupil = world["third"]
    # The nightly run found one episode at this school: only this pupil is to return.
    Alert.objects.filter(school=school, kind__in=["attendance_return", "sickness_return"]).delete()
    ReturnEntry.objects.filter(school=school).delete()
    Mark.objects.filter(pupil=pupil, date__range=(date(2026, 10, 5), date(2026, 10, 16))).update(
        code="O"
    )
    Alert.objects.create(
        school=school, pupil=pupil, kind=Alert.Kind.ATTENDANCE_RETURN, academic_year=2026,
        key="2026-10-05", raised_on=date(2026, 11, 20),
        details={"school_days": 10, "from": "2026-10-05", "to": "2026-10-16"},
    )  # fmt: skip
    return_entries_sync(school_id=school.pk, as_of=TODAY)

    door.sign_in(OFFICE)
    door.site.goto(f"/returns/schools/{school.urn}/")
    door.expect("Returns due")
    row = door.page.locator("table.govuk-table tbody tr").filter(has_text=pupil.upn)
    assert "5 Oct 2026" in row.inner_text() and "16 Oct 2026" in row.inner_text()
    door.site.click_and_load(door.page.get_by_role("link", name="Send a return"))
    door.expect("Notify us of an attendance or sickness return")
    door.start()
    door.tick("Which pupils do you want to include?", f"{pupil.display_name} ({pupil.upn})")
    door.continue_()
    door.expect("Pupils in this return")
    door.continue_()
    reference = door.send("Send return")

    door.site.goto(f"/returns/schools/{school.urn}/")
    assert "No pupils are waiting to be returned." in door.page.content()
    sent = door.page.locator("table.govuk-table tbody tr").filter(has_text=reference)
    assert pupil.display_name in sent.inner_text()

    door.sign_out()
    door.sign_in(AO)
    door.site.goto("/returns/")
    door.expect("Statutory returns")
    line = door.page.locator("#compliance tbody tr").filter(has_text=school.name)
    assert "Sent" in line.inner_text() and "Overdue" not in line.inner_text()
    assert pupil.upn in door.page.locator("#returned").inner_text()


def test_the_authority_dismisses_an_off_rolling_signal_with_the_keyboard(site, demo_accounts):  # type: ignore[no-untyped-def]
    """The seed's nightly task left signals; the attendance officer reads one's evidence and
    dismisses it with a reason, with the keyboard alone (docs/returns.md)."""
    from kpas.base.demo_accounts import DEMO_PASSWORD
    from kpas.base.roles import Role
    from returns.models import OffRollingSignal

    from .pages import SignInPage
    from .test_keyboard import Keyboard

    officer = next(a for a in demo_accounts if a.role == Role.ATTENDANCE_OFFICER)
    signal = OffRollingSignal.objects.get(kind="late_lost_ctf")
    SignInPage(site).open().sign_in(officer.email, DEMO_PASSWORD)
    site.goto("/returns/off-rolling/")
    assert site.heading == "Off-rolling signals", site.describe()
    card = site.page.locator(f"#signal-{signal.pk}").inner_text()
    assert "Lost-pupil CTF sent late" in card and "School days after leaving" in card

    keys = Keyboard(site)
    keys.tab_to(element_id=f"dismiss-{signal.pk}")
    keys.press_and_load()
    assert site.heading == "Dismiss this signal", site.describe()
    keys.activate("Dismiss signal")  # no reason yet
    assert site.title.startswith("Error: ")
    assert [text for text, _ in site.error_summary_links()] == [
        "Say why this signal needs no action"
    ]
    keys.type_into("Why does this signal need no action?", "The hub was down that week")
    keys.activate("Dismiss signal")
    assert site.heading == "Off-rolling signals" and "Signal dismissed" in site.page.content()
    assert site.page.locator(f"#signal-{signal.pk}").count() == 0  # open signals only
    site.goto("/returns/off-rolling/?show=dismissed")
    assert "The hub was down that week" in site.page.locator(f"#signal-{signal.pk}").inner_text()
    signal.refresh_from_db()
    assert signal.dismissed_reason == "The hub was down that week"
    # The reports, from the signals page's link (checked with axe and at 320 px too).
    site.click_and_load(site.page.get_by_role("link", name="Returns and deletions reports"))
    assert site.heading == "Returns and deletions reports", site.describe()
    assert site.page.locator("#standout").count() == 1
