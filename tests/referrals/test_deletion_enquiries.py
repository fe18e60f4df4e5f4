"""Deletion under 1(h), 1(i) and 3(c) after the authority's CME enquiries are complete with
deletion advised; the forwarding-address shortcut for 1(g) only; the new address and new
school dates; a pupil the register feed has already taken off roll (issue 10 item 11;
reg 9(1)(g)-(i), 9(3)(c), reg 13(4) with reg 8; KSAH §22-23; DOMAIN §9)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from referrals import errors, services
from referrals.models import Submission
from referrals.rules import ClosingOutcome, Status
from schools.models import Enrolment
from tests.factories.register import fill, pupil_at

from .conftest import TODAY, World, valid_answers
from .test_pathways import refused, send
from .test_views import signed_in as signed_in_client

pytestmark = pytest.mark.django_db
CME, DELETION = "child-missing-education", "deletion-from-admission-register"


def _missing_pupil(world: World):  # type: ignore[no-untyped-def]
    """Attended until 17 October 2025, then absent (O) every session: 25 school days."""
    pupil = pupil_at(world.school, born=date(2016, 1, 10))
    fill(world.school, pupil, date(2025, 9, 3), date(2025, 10, 17))
    fill(world.school, pupil, date(2025, 10, 20), TODAY, code="O")
    return pupil


def _answers(world: World, slug: str, pupil, **changes: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    answers = {**valid_answers(slug, world), "upn": pupil.upn, **changes}
    return {k: v for k, v in answers.items() if v is not ...}


def _notified(world: World, pupil) -> Submission:  # type: ignore[no-untyped-def]
    answers = _answers(
        world,
        CME,
        pupil,
        last_attended="2025-10-17",
        _reasons={"within-10-school-days": "Enquiries took longer."},
    )
    return send(world, CME, answers)


def _deletion_1i(world: World, pupil, **changes: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return _answers(
        world,
        DELETION,
        pupil,
        ground="1i",
        new_school=...,
        forwarding_address_known=True,
        forwarding_address="2 Sea Road, Dover",
        **changes,
    )


def test_1i_needs_the_cme_enquiries_closed_with_deletion_advised(world):  # type: ignore[no-untyped-def]
    pupil = _missing_pupil(world)
    cme = _notified(world, pupil)
    # Notified, and a forwarding address: not enough under 1(i).
    problem = refused(world, DELETION, _deletion_1i(world, pupil))
    assert [r.requirement.id for r in problem.blocked] == ["cme-enquiries-complete"]
    services.submission_close(
        actor=world.cme,
        submission=cme,
        outcome="Family traced to Dover; new school place confirmed.",
        closing_outcome=ClosingOutcome.DELETION_ADVISED,
        deletion_advised_on=date(2025, 11, 20),
        today=TODAY,
    )
    sent = send(world, DELETION, _deletion_1i(world, pupil))
    done = {c["id"]: c for c in sent.conditions}["cme-enquiries-complete"]
    assert done["outcome"] == "met" and cme.reference in done["detail"]
    assert "20 November 2025" in done["detail"]


def test_a_cme_closed_otherwise_does_not_allow_deletion(world):  # type: ignore[no-untyped-def]
    pupil = _missing_pupil(world)
    cme = _notified(world, pupil)
    services.submission_close(actor=world.cme, submission=cme, outcome="Child found at home.")
    problem = refused(world, DELETION, _deletion_1i(world, pupil))
    assert "cme-enquiries-complete" in [r.requirement.id for r in problem.blocked]


def test_the_forwarding_address_shortcut_is_for_1g_only(world):  # type: ignore[no-untyped-def]
    answers = _answers(
        world,
        DELETION,
        world.pupil,
        ground="1g",
        new_school=...,
        forwarding_address_known=True,
        forwarding_address="2 Sea Road, Dover",
    )
    assert send(world, DELETION, answers).status == Status.SUBMITTED


def test_closing_with_deletion_advised_needs_a_cme_notification_and_its_date(world):  # type: ignore[no-untyped-def]
    pupil = _missing_pupil(world)
    cme = _notified(world, pupil)
    with pytest.raises(services.CloseRefused) as no_date:
        services.submission_close(
            actor=world.cme, submission=cme, outcome="x", closing_outcome="deletion_advised"
        )
    assert str(no_date.value) == errors.DELETION_ADVISED_DATE_REQUIRED
    other = send(
        world, "formal-attendance-meeting", valid_answers("formal-attendance-meeting", world)
    )
    with pytest.raises(services.CloseRefused) as not_cme:
        services.submission_close(
            actor=world.ao,
            submission=other,
            outcome="x",
            closing_outcome="deletion_advised",
            deletion_advised_on=date(2025, 11, 20),
        )
    assert str(not_cme.value) == errors.CLOSING_OUTCOME_CME_ONLY


def test_the_officer_closes_a_cme_notification_with_deletion_advised_on_the_page(world):  # type: ignore[no-untyped-def]
    pupil = _missing_pupil(world)
    cme = _notified(world, pupil)
    officer = signed_in_client(world.cme)
    page = officer.get(f"/dfd/submissions/{cme.reference}/").content.decode()
    assert "Enquiries complete, deletion advised" in page
    url = f"/dfd/submissions/{cme.reference}/action/"
    missing_date = officer.post(
        url, {"action": "close", "note": "Traced.", "closing_outcome": "deletion_advised"}
    )
    assert missing_date.status_code == 400
    assert (
        f'<a href="#id_deletion_advised_on_day">{errors.DELETION_ADVISED_DATE_REQUIRED}</a>'
        in missing_date.content.decode()
    )
    done = officer.post(
        url,
        {
            "action": "close",
            "note": "Traced.",
            "closing_outcome": "deletion_advised",
            "deletion_advised_on_day": "20",
            "deletion_advised_on_month": "11",
            "deletion_advised_on_year": "2025",
        },
    )
    assert done.status_code == 302
    cme.refresh_from_db()
    assert cme.status == Status.CLOSED and cme.deletion_advised_on == date(2025, 11, 20)


def test_the_deletion_return_asks_the_new_address_and_new_school_dates(world):  # type: ignore[no-untyped-def]
    # reg 13(4) with reg 8: the date from which the pupil lives at the new address and the
    # date they start at the new school.
    answers = _answers(
        world,
        DELETION,
        world.pupil,
        forwarding_address_known=True,
        forwarding_address="2 Sea Road, Dover",
        new_address_from="2025-11-24",
        new_school_start="2025-12-01",
    )
    sent = send(world, DELETION, answers)
    assert sent.answers["new_address_from"] == "2025-11-24"
    assert sent.answers["new_school_start"] == "2025-12-01"


def test_a_return_for_a_pupil_the_register_feed_has_already_taken_off_roll(world):  # type: ignore[no-untyped-def]
    Enrolment.objects.filter(pupil=world.pupil).update(end_date=date(2025, 11, 27))
    answers = _answers(world, DELETION, world.pupil, _reasons={"not-backdated": "Sent late."})
    sent = send(world, DELETION, answers)
    assert sent.status == Status.SUBMITTED and sent.pupil == world.pupil
