"""The Courts Team's workspace (issue 11 items 5-7): a request sent through the Digital Front
Door is handed down; the checklist per parent; issue, refuse (the school sees why) and
route a parent at the escalation limit; issuing twice makes one notice and one letter."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from kpas.base.documents.services import document_render
from kpas.base.errors import ApplicationError, Conflict
from kpas.base.models import Document
from penalties import services
from penalties.letters import NOTICE_LETTER, batch_request
from penalties.models import NoticeEvent, PenaltyNotice, PenaltyRequest, RequestParent
from schools.models import Parent, PupilParent
from tests.referrals.conftest import TODAY, World
from tests.referrals.test_pathways import change, send

pytestmark = pytest.mark.django_db
PN = "penalty-notice"
TWO_PARENTS = [
    {"name": "Ms Alex Pupil", "address": "1 High Street", "previous_notices": "0"},
    {"name": "Mr Sam Pupil", "address": "2 Low Street", "previous_notices": "0"},
]


def _two_parents(world: World) -> tuple[Parent, Parent]:
    alex = Parent.objects.get(forename="Alex")
    alex.parent_ref = "P-1001"
    alex.save(update_fields=["parent_ref"])
    sam = Parent.objects.create(
        parent_ref="P-1002", title="Mr", forename="Sam", surname="Pupil", postcode="ME1 1AA"
    )
    PupilParent.objects.create(pupil=world.pupil, parent=sam)
    return alex, sam


def _request(world: World) -> PenaltyRequest:
    submission = send(world, PN, change(world, PN, parents=TWO_PARENTS))
    return PenaltyRequest.objects.get(submission_reference=submission.reference)


def test_a_sent_request_is_handed_down_with_its_parents_matched(world):  # type: ignore[no-untyped-def]
    alex, sam = _two_parents(world)
    request = _request(world)
    assert request.case == "leave" and request.pupil == world.pupil
    assert (request.leave_from, request.leave_to) == (date(2025, 11, 17), date(2025, 11, 21))
    assert [(p.name, p.parent) for p in request.parents.all()] == [
        ("Ms Alex Pupil", alex),
        ("Mr Sam Pupil", sam),
    ]
    assert any(c["id"] == "ten-g-sessions" for c in request.conditions)


def test_the_courts_team_sees_the_checklist_and_issues_per_parent(world, client):  # type: ignore[no-untyped-def]
    _two_parents(world)
    request = _request(world)
    client.force_login(world.courts)
    page = client.get(reverse("penalties:request", args=[request.pk]), {"on": "2025-11-28"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "10 sessions within 10 school weeks" in text and "Threshold window" in text
    assert "The registration certificate" in text
    alex_row, sam_row = request.parents.all()
    url = reverse("penalties:decide", args=[request.pk])
    client.post(url, {"parent": alex_row.pk, "action": "issue", "on": "2025-11-28"})
    client.post(url, {"parent": sam_row.pk, "action": "refuse", "reason": "Lives abroad."})
    notice = PenaltyNotice.objects.get(parent__parent_ref="P-1001")
    # Posted Friday 28 November 2025: deemed received the 2nd working day, Tuesday 2 December;
    # £80 by receipt + 20 days, £160 by receipt + 27 days (DOMAIN §5; SI 2024/210).
    issue = notice.issue
    assert (issue.received_on, issue.reduced_by, issue.full_by) == (
        date(2025, 12, 2),
        date(2025, 12, 22),
        date(2025, 12, 29),
    )
    assert (issue.reduced_amount, issue.full_amount, issue.notice_number) == (80, 160, 1)
    assert NoticeEvent.objects.filter(notice=notice, kind="issued", actor=world.courts).exists()
    # The school sees each parent's outcome, with the reason for a refusal.
    client.force_login(world.head)
    school_page = client.get(reverse("penalties:request", args=[request.pk])).content.decode()
    assert "Notice issued" in school_page and "Lives abroad." in school_page
    assert "Threshold window" not in school_page  # the checklist is the Courts Team's


def test_only_the_courts_team_decides(world, client):  # type: ignore[no-untyped-def]
    _two_parents(world)
    request = _request(world)
    row = request.parents.first()
    for user in (world.head, world.ao):
        client.force_login(user)
        response = client.post(
            reverse("penalties:decide", args=[request.pk]), {"parent": row.pk, "action": "issue"}
        )
        assert response.status_code == 404
    client.force_login(world.other_head)  # another school's head sees nothing of it
    assert client.get(reverse("penalties:request", args=[request.pk])).status_code == 404
    assert not PenaltyNotice.objects.exists()


def test_issuing_twice_makes_one_notice_and_one_letter(world):  # type: ignore[no-untyped-def]
    _two_parents(world)
    row = _request(world).parents.first()
    first = services.request_parent_issue(actor=world.courts, request_parent=row, on=TODAY)
    second = services.request_parent_issue(actor=world.courts, request_parent=row, on=TODAY)
    assert first.pk == second.pk
    assert PenaltyNotice.objects.count() == 1
    assert Document.objects.filter(kind=NOTICE_LETTER).count() == 1


def test_a_refusal_needs_a_reason_and_a_decision_is_made_once(world):  # type: ignore[no-untyped-def]
    _two_parents(world)
    row = _request(world).parents.first()
    with pytest.raises(ApplicationError):
        services.request_parent_refuse(actor=world.courts, request_parent=row, reason=" ")
    services.request_parent_refuse(actor=world.courts, request_parent=row, reason="Abroad.")
    with pytest.raises(Conflict):
        services.request_parent_issue(actor=world.courts, request_parent=row, on=TODAY)


def _paid(parent: Parent, world: World, reference: str, issued: date) -> None:
    PenaltyNotice.objects.create(
        reference=reference,
        pupil=world.pupil,
        parent=parent,
        case="leave",
        issued_on=issued,
        status="paid",
        local_authority="886",
        source="imported",
    )


def test_a_parent_at_the_limit_is_routed_to_the_single_justice_procedure(world):  # type: ignore[no-untyped-def]
    # KSAH §15 iv: no third notice within 3 years; a third G leave case goes to the SJP.
    alex, _sam = _two_parents(world)
    _paid(alex, world, "OLD-1", date(2024, 9, 10))
    _paid(alex, world, "OLD-2", date(2025, 2, 10))
    alex_row, sam_row = _request(world).parents.all()
    with pytest.raises(ApplicationError):
        services.request_parent_issue(actor=world.courts, request_parent=alex_row, on=TODAY)
    with pytest.raises(ApplicationError):  # the other parent is not at the limit
        services.request_parent_route(actor=world.courts, request_parent=sam_row, on=TODAY)
    routed = services.request_parent_route(actor=world.courts, request_parent=alex_row, on=TODAY)
    assert (routed.decision, routed.route) == ("routed", RequestParent.Route.SJP)
    # Each parent separately (DOMAIN §5): the other parent still gets a first notice.
    notice = services.request_parent_issue(actor=world.courts, request_parent=sam_row, on=TODAY)
    assert notice.issue.notice_number == 1


def _pdf_text(document: Document) -> str:
    rendered = document_render(document_id=document.pk)
    assert rendered is not None and rendered.status == Document.Status.READY
    pages = PdfReader(BytesIO(rendered.content)).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


def test_the_letter_and_the_print_run_say_what_a_notice_must(world):  # type: ignore[no-untyped-def]
    _two_parents(world)
    alex_row, sam_row = _request(world).parents.all()
    alex_notice, _ = (
        services.request_parent_issue(actor=world.courts, request_parent=row, on=TODAY)
        for row in (alex_row, sam_row)
    )
    letter = Document.objects.get(key=f"{NOTICE_LETTER}:{alex_notice.reference}")
    text = _pdf_text(letter)
    for expected in (
        alex_notice.reference,
        "The grounds for this notice",
        "section 444(1) of the Education Act 1996",
        "Monday 17 November 2025 Morning G",
        "£80",
        "22 December 2025",
        "£160",
        "29 December 2025",
        "How to pay",
        "If you do not pay",
        "Whom to contact",
    ):
        assert expected in text, expected
    run = batch_request(on=TODAY, requested_by=world.courts)
    assert run is not None
    batch_text = _pdf_text(run)
    assert "print run" in batch_text and "Number of notices 2" in batch_text
    assert batch_text.count("The grounds for this notice") == 2
