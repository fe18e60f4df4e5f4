"""The school's "Returns due" and the authority's compliance view with its exports
(reg 13; KSAH §24), scoped: another school's page is not found."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from defusedxml import ElementTree
from django.test import Client
from django.utils import timezone

from returns.models import ReturnEntry, ReturnPeriod
from tests.referrals.conftest import TODAY, private_media, world  # noqa: F401

pytestmark = pytest.mark.django_db
DUE = date(2026, 1, 19)


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def listed(world, monkeypatch):  # type: ignore[no-untyped-def]  # noqa: F811
    monkeypatch.setattr("returns.views.today", lambda: TODAY)
    period = ReturnPeriod.objects.create(
        school=world.school, cycle="termly", starts=date(2025, 9, 3), ends=date(2025, 12, 19),
        due_on=DUE,
    )  # fmt: skip
    return ReturnEntry.objects.create(
        school=world.school, pupil=world.pupil, kind="attendance", episode_key="2025-11-03",
        absence_from=date(2025, 11, 3), absence_to=date(2025, 11, 14), sessions=20,
        met_on=date(2025, 11, 14), due_on=DUE, period=period,
    )  # fmt: skip


def test_returns_due_lists_each_pupil_with_the_episode(world, listed):  # type: ignore[no-untyped-def]  # noqa: F811
    page = signed_in(world.head).get(f"/returns/schools/{world.school.urn}/").content.decode()
    assert world.pupil.display_name in page
    assert "3 Nov 2025" in page and "14 Nov 2025" in page and ">20<" in page
    assert "due by Monday 19 January 2026" in page
    assert 'href="/dfd/attendance-or-sickness-return/"' in page
    other = signed_in(world.other_head).get(f"/returns/schools/{world.school.urn}/")
    assert other.status_code == 404


def test_not_needed_needs_a_reason_the_authority_then_sees(world, listed):  # type: ignore[no-untyped-def]  # noqa: F811
    client = signed_in(world.head)
    refused = client.post(f"/returns/entries/{listed.pk}/not-needed/", {"reason": ""})
    assert refused.status_code == 400
    assert "Say why this pupil does not need a return" in refused.content.decode()
    client.post(f"/returns/entries/{listed.pk}/not-needed/", {"reason": "Returned on paper"})
    listed.refresh_from_db()
    assert (listed.status, listed.reason) == ("not_needed", "Returned on paper")
    assert (
        signed_in(world.other_head)
        .post(f"/returns/entries/{listed.pk}/not-needed/", {"reason": "x"})
        .status_code
        == 404
    )
    authority = signed_in(world.ao).get("/returns/").content.decode()
    assert "Nil return</strong>" in authority  # nobody left to return in the period
    assert "Returned on paper" in authority


def test_school_adds_a_pupil_who_fails_to_attend_regularly(world, listed):  # type: ignore[no-untyped-def]  # noqa: F811
    client = signed_in(world.head)
    url = f"/returns/schools/{world.school.urn}/add/"
    date_parts = {"absence_from_day": "1", "absence_from_month": "10", "absence_from_year": "2025"}
    missing = client.post(url, {"upn": world.other_pupil.upn, "reason": "x", **date_parts})
    assert "No pupil with that UPN is on your school" in missing.content.decode()
    client.post(url, {"upn": world.pupil.upn, "reason": "Misses Mondays", **date_parts})
    added = ReturnEntry.objects.get(kind="irregular")
    assert (added.pupil, added.absence_from, added.reason) == (
        world.pupil,
        date(2025, 10, 1),
        "Misses Mondays",
    )


def test_compliance_per_school_filtered_and_exported(world, listed):  # type: ignore[no-untyped-def]  # noqa: F811
    client = signed_in(world.ao)
    page = client.get("/returns/").content.decode()
    assert "Oakfield Primary School" in page and "Due</strong>" in page
    assert "Oakfield Primary School" not in client.get("/returns/?area=East").content.decode()
    ReturnEntry.objects.filter(pk=listed.pk).update(
        status="returned", returned_at=timezone.now(), returned_reference="DFD-9",
        returned_flags=["cp_plan"],
    )  # fmt: skip
    page = client.get("/returns/").content.decode()
    assert "Sent late" in page or "Sent</strong>" in page
    assert "Child protection plan" in page
    csv = client.get("/returns/?format=csv")
    assert csv["Content-Type"] == "text/csv"
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("School,URN,Area,District") and "Oakfield Primary School" in lines[1]
    xlsx = client.get("/returns/?format=xlsx").content
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    texts = [
        t.text for t in sheet.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}t")
    ]
    assert "School" in texts and "Oakfield Primary School" in texts
    assert signed_in(world.head).get("/returns/").status_code == 404


def test_home_page_reminds_the_school(world, listed):  # type: ignore[no-untyped-def]  # noqa: F811
    page = signed_in(world.head).get("/").content.decode()
    assert "1 pupil to return" in page


def test_repeated_sickness_is_listed_for_the_authority(world, listed):  # type: ignore[no-untyped-def]  # noqa: F811
    # KSAH §24; EA96 s.19: more than one sickness episode may mean the authority owes a duty.
    for key in ("run:2025-09-08", "run:2025-10-06"):
        ReturnEntry.objects.create(
            school=world.school, pupil=world.pupil, kind="sickness_consecutive",
            episode_key=key, met_on=date(2025, 10, 24), period=listed.period,
        )  # fmt: skip
    page = signed_in(world.ao).get("/returns/").content.decode()
    assert f"({world.pupil.upn}), Oakfield Primary School: 2 episodes" in page


SUMMER_DUE = date(2026, 6, 19)


@pytest.mark.parametrize(
    ("sent_at_utc", "expected"),
    [
        # 22:30 UTC on 19 June is 23:30 in London (BST): sent on the due day.
        pytest.param("2026-06-19T22:30:00+00:00", "sent", id="bst-evening-of-the-due-day"),
        # 23:30 UTC on 19 June is 00:30 on 20 June in London: a day late, though the UTC
        # date is still the due date.
        pytest.param("2026-06-19T23:30:00+00:00", "late", id="after-midnight-in-london"),
    ],
)
def test_the_dashboard_counts_agree_with_the_rule_on_the_local_day(  # type: ignore[no-untyped-def]
    world,  # noqa: F811
    listed,
    sent_at_utc,
    expected,
):
    """The county dashboard counts each period's entries in the database
    (returns.selectors.entry_counts_by_period); the school's pages apply
    returns.rules.period_compliance to the entries. Both judge lateness by the day the
    return was sent in local time, as the school and the authority count days (DOMAIN §8)."""
    from datetime import datetime

    from returns.selectors import compliance_for, period_status

    sent = datetime.fromisoformat(sent_at_utc)
    ReturnEntry.objects.filter(pk=listed.pk).update(
        status="returned", returned_at=sent, due_on=SUMMER_DUE
    )
    (row,) = [r for r in compliance_for(world.ao, today=TODAY) if r.period == listed.period]
    entries = list(ReturnEntry.objects.filter(period=listed.period))
    assert row.status == period_status(entries, TODAY) == expected
    assert (row.returned, row.to_return, row.last_sent) == (1, 0, sent)


def test_the_dashboards_summary_adds_up_the_per_school_rows(world, listed):  # type: ignore[no-untyped-def]  # noqa: F811
    """The county dashboard's returns section (compliance_by_status) counts without reading
    schools or periods whole; it must say what the per-school report (compliance_for) says."""
    from returns.selectors import STATUS_LABELS, compliance_by_status, compliance_for

    ReturnEntry.objects.create(
        school=world.school, pupil=world.pupil,
        kind="sickness", episode_key="2025-12-01", absence_from=date(2025, 12, 1),
        absence_to=date(2025, 12, 12), sessions=18, met_on=date(2025, 12, 12),
        due_on=date(2026, 2, 2), period=listed.period,
    )  # fmt: skip
    for today in (date(2026, 1, 10), TODAY, date(2026, 2, 10)):
        expected = {status: [0, 0, 0] for status in STATUS_LABELS}
        for row in compliance_for(world.ao, today=today):
            expected[row.status][0] += 1
            expected[row.status][1] += row.to_return
            expected[row.status][2] += row.overdue
        summary = compliance_by_status(world.ao, today=today)
        assert {s: list(f) for s, f in summary.items()} == expected
        assert sum(f[1] for f in summary.values()) == 2  # both entries still to return
