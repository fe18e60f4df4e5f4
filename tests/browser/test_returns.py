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
