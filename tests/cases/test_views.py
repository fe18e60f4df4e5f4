"""Case pages through the Django test client: moves, refusals, notes, scope and the caseload;
the submission page's accept-into-a-case, question and answer, shared and internal notes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kpas.base.models import OutboxEmail
from referrals.cases import services
from referrals.cases.models import Case
from referrals.models import SubmissionEvent
from referrals.pathway_names import PathwayName

from .conftest import TODAY, sent_submission

pytestmark = pytest.mark.django_db


def test_accept_into_a_case_then_move_it_on(client, world):  # type: ignore[no-untyped-def]
    submission = sent_submission(world, PathwayName.STATUTORY_INTERVENTION)
    client.force_login(world.ao)
    page = client.get(reverse("referrals:submission", args=[submission.reference]))
    assert "Accept into a case" in page.content.decode()
    response = client.post(
        reverse("referrals:submission_action", args=[submission.reference]),
        {"action": "triage", "note": ""},
    )
    case = Case.objects.get(submission=submission)
    assert response.status_code == 302 and response.url == reverse("cases:case", args=[case.pk])
    assert OutboxEmail.objects.filter(purpose="dfd.status", to=[world.head.email]).exists()
    page = client.get(response.url).content.decode()
    assert "Schedule the attendance improvement meeting" in page
    assert "Send the final warning letter" not in page  # only the moves allowed now
    moved = client.post(
        reverse("cases:move", args=[case.pk, "schedule_aim"]),
        {"schedule_aim-meeting_on": "2025-12-01", "schedule_aim-invited": "Mrs Parent, Head"},
    )
    assert moved.status_code == 302
    case.refresh_from_db()
    assert case.status == "aim_scheduled"
    refused = client.post(reverse("cases:move", args=[case.pk, "send_final_warning"]), {})
    assert refused.status_code == 400
    assert (
        "cannot send the final warning letter while it is aim scheduled" in refused.content.decode()
    )


def test_school_sees_shared_notes_and_answers_questions(client, world):  # type: ignore[no-untyped-def]
    submission = sent_submission(world, PathwayName.ATTENDANCE_MEETING)
    client.force_login(world.ao)
    url = reverse("referrals:submission_action", args=[submission.reference])
    client.post(url, {"action": "note", "note": "Private view of the family"})
    client.post(url, {"action": "note", "note": "We will attend", "shared": "on"})
    client.post(url, {"action": "ask", "note": "Which date suits the parents?"})
    assert OutboxEmail.objects.filter(subject__startswith="A question about your form").exists()
    client.force_login(world.head)
    page = client.get(reverse("referrals:submission", args=[submission.reference])).content.decode()
    assert "We will attend" in page and "Which date suits the parents?" in page
    assert "Private view of the family" not in page
    assert "Answer the authority" in page
    client.post(
        reverse("referrals:submission_answer", args=[submission.reference]),
        {"answer": "Tuesday mornings"},
    )
    assert submission.events.filter(kind=SubmissionEvent.Kind.ANSWER).get().message == (
        "Tuesday mornings"
    )


def test_case_scope_and_internal_notes(client, world):  # type: ignore[no-untyped-def]
    case = services.case_open(
        actor=world.ao,
        submission=sent_submission(world, PathwayName.PROFESSIONAL),
        today=TODAY,
    )
    client.force_login(world.ao)
    client.post(reverse("cases:note", args=[case.pk]), {"text": "Internal only"})
    client.post(reverse("cases:note", args=[case.pk]), {"text": "Shared one", "shared": "on"})
    client.force_login(world.head)
    page = client.get(reverse("cases:case", args=[case.pk])).content.decode()
    assert "Shared one" in page and "Internal only" not in page
    assert "Next steps" not in page  # the school reads; it does not work the case
    assert client.post(reverse("cases:note", args=[case.pk]), {"text": "x"}).status_code == 404
    client.force_login(world.east_ao)
    assert client.get(reverse("cases:case", args=[case.pk])).status_code == 404


def test_caseload_lists_open_cases_with_search(client, world):  # type: ignore[no-untyped-def]
    case = services.case_open(
        actor=world.ao,
        submission=sent_submission(world, PathwayName.PART_TIME),
        today=TODAY,
    )
    client.force_login(world.ao)
    page = client.get(reverse("cases:caseload")).content.decode()
    assert reverse("cases:case", args=[case.pk]) in page
    page = client.get(reverse("cases:caseload"), {"q": "nobody-by-this-name"}).content.decode()
    assert reverse("cases:case", args=[case.pk]) not in page
    client.force_login(world.head)
    assert client.get(reverse("cases:caseload")).status_code == 404
