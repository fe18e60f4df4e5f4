"""The outcome of a prosecution for an unpaid notice (issue 11 item 8): recorded by the
Courts Team from the notice's page through a service, audited as an event; a conviction makes
the unpaid notice count in the escalation (DOMAIN §5 "a notice counts when paid, or when
unpaid with convicted true"), an acquittal or a withdrawn prosecution does not."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kpas.base.audit import AuditAction
from kpas.base.errors import ApplicationError, Conflict
from kpas.base.models import AuditEvent
from penalties.models import NoticeEvent
from penalties.payments import notice_prosecute, notices_period_end
from penalties.prosecution import notice_prosecution_outcome
from penalties.selectors import penalty_check

from .test_payments import _issued

pytestmark = pytest.mark.django_db
AFTER_PERIOD = date(2025, 12, 30)  # the first day after the notices' 28-day period
HEARD = date(2026, 2, 3)
NEXT_REQUEST = date(2026, 2, 6)  # D for a later request about the same child


def _notice_number(world, parent_ref: str) -> int | None:  # type: ignore[no-untyped-def]
    result = penalty_check(pupil=world.pupil, parent_ref=parent_ref, case="leave", on=NEXT_REQUEST)
    assert result["eligible"], result["reasons"]
    return result["notice_number"]  # type: ignore[no-any-return]


def test_a_conviction_makes_the_unpaid_notice_count_an_acquittal_does_not(world, settings):  # type: ignore[no-untyped-def]
    alex, sam = _issued(world)
    with pytest.raises(Conflict):  # not prosecuted yet: nothing to record
        notice_prosecution_outcome(actor=world.courts, notice=alex, outcome="convicted", on=HEARD)
    assert notices_period_end(today=AFTER_PERIOD) == 2
    # Unpaid without a conviction: not counted, so a later notice would be a first one.
    assert _notice_number(world, "P-1001") == 1
    for notice in (alex, sam):
        notice_prosecute(actor=world.courts, notice=notice)
    with pytest.raises(ApplicationError):
        notice_prosecution_outcome(actor=world.courts, notice=alex, outcome="guilty", on=HEARD)
    with pytest.raises(ApplicationError):  # before the notice was issued
        notice_prosecution_outcome(
            actor=world.courts, notice=alex, outcome="convicted", on=date(2025, 11, 1)
        )
    with pytest.raises(ApplicationError):  # no date
        notice_prosecution_outcome(actor=world.courts, notice=alex, outcome="convicted", on=None)
    notice_prosecution_outcome(actor=world.courts, notice=alex, outcome="convicted", on=HEARD)
    notice_prosecution_outcome(actor=world.courts, notice=sam, outcome="acquitted", on=HEARD)
    with pytest.raises(Conflict):  # recorded once
        notice_prosecution_outcome(actor=world.courts, notice=sam, outcome="convicted", on=HEARD)
    alex.refresh_from_db()
    sam.refresh_from_db()
    assert (alex.status, alex.convicted, alex.issue.prosecution_outcome) == (
        "unpaid",
        True,
        "convicted",
    )
    assert (sam.convicted, sam.issue.prosecution_outcome, sam.issue.outcome_on) == (
        False,
        "acquitted",
        HEARD,
    )
    # The escalation follows: Alex's next notice for this child is the second; Sam's the first.
    assert _notice_number(world, "P-1001") == 2
    assert _notice_number(world, "P-1002") == 1
    event = NoticeEvent.objects.get(notice=alex, kind="prosecution_outcome")
    assert event.actor == world.courts and event.detail["outcome"] == "convicted"
    assert "counts in the escalation" in event.message
    audited = AuditEvent.objects.filter(action=AuditAction.PENALTY_PROSECUTION_OUTCOME)
    assert audited.count() == 2


def test_the_courts_team_records_the_outcome_from_the_notice_page(world, client):  # type: ignore[no-untyped-def]
    alex, _ = _issued(world)
    notices_period_end(today=AFTER_PERIOD)
    notice_prosecute(actor=world.courts, notice=alex)
    page = reverse("penalties:notice", args=[alex.reference])
    act = reverse("penalties:notice-action", args=[alex.reference])
    client.force_login(world.ao)  # an officer sees the notice but cannot act
    assert "Outcome of the prosecution" not in client.get(page).content.decode()
    assert client.post(act, {"action": "outcome", "outcome": "withdrawn"}).status_code == 404
    client.force_login(world.courts)
    assert "Outcome of the prosecution" in client.get(page).content.decode()
    response = client.post(
        act, {"action": "outcome", "outcome": "withdrawn", "outcome_on": HEARD.isoformat()}
    )
    assert response.status_code == 302
    alex.refresh_from_db()
    assert (alex.issue.prosecution_outcome, alex.convicted) == ("withdrawn", False)
    shown = client.get(page).content.decode()
    assert "prosecution withdrawn on 3 February 2026" in shown
    assert "Record the outcome" not in shown  # recorded once
