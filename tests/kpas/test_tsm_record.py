"""The meeting pack, the Record of Consultation and its PDF (KSAH §15 ii, §25; DOMAIN §12)."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from django.urls import reverse

from kpas.base.documents.services import document_render
from kpas.base.errors import Conflict
from kpas.base.models import Document
from kpas.tsm.models import Action, JointPlan, Meeting, Record
from kpas.tsm.record import NewAction, record_pdf_request, tsm_record_complete

pytestmark = pytest.mark.django_db

SEVERE_NAME = "Pupil severe"  # the constructed school's severely absent pupil's surname


def _first(school) -> Meeting:  # type: ignore[no-untyped-def]
    return Meeting.objects.filter(school=school).order_by("sequence").first()  # type: ignore[return-value]


def test_the_officers_pack_names_no_pupil_and_the_schools_does(client, proposed) -> None:  # type: ignore[no-untyped-def]
    meeting = _first(proposed["below"])
    client.force_login(proposed["officer"])
    officer_page = client.get(reverse("tsm:meeting", args=[meeting.pk])).content.decode()
    assert "1 severely absent pupil; 1 without a joint" in " ".join(officer_page.split())
    assert SEVERE_NAME not in officer_page
    assert "Free school meals" in officer_page  # cohort figures are there
    client.force_login(proposed["head"])
    school_page = client.get(reverse("tsm:meeting", args=[meeting.pk])).content.decode()
    assert SEVERE_NAME in school_page
    # The school records a joint plan: the pupil leaves the list.
    upn = proposed["below"].alerts.get(kind="severe_absence").pupil.upn
    client.post(reverse("tsm:joint_plan", args=[meeting.pk, upn]))
    assert JointPlan.objects.filter(school=proposed["below"], pupil__upn=upn).exists()
    school_page = client.get(reverse("tsm:meeting", args=[meeting.pk])).content.decode()
    assert "1 severely absent pupil; 0 without a joint" in " ".join(school_page.split())
    assert "Without a joint plan: shown only to the school" not in school_page


def test_an_officer_out_of_scope_finds_nothing(client, proposed) -> None:  # type: ignore[no-untyped-def]
    from kpas.base.roles import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(role=Role.ATTENDANCE_OFFICER))
    assert (
        client.get(reverse("tsm:meeting", args=[_first(proposed["below"]).pk])).status_code == 404
    )


def test_record_completed_on_screen_and_actions_followed_up(client, proposed) -> None:  # type: ignore[no-untyped-def]
    first, second = Meeting.objects.filter(school=proposed["below"]).order_by("sequence")[:2]
    client.force_login(proposed["officer"])
    response = client.post(
        reverse("tsm:meeting", args=[first.pk]),
        {
            "attendees": "Head teacher; SAC; KPAS officer",
            "whole_school": "Attendance below the national average; autumn illness.",
            "severe_absence": "One pupil discussed; a joint plan to be agreed.",
            "action_0_description": "Agree a joint plan for the severely absent pupil",
            "action_0_owner_side": "school",
            "action_0_owner": "Senior Attendance Champion",
            "action_0_day": "16",
            "action_0_month": "1",
            "action_0_year": "2026",
        },
    )
    assert response.status_code == 302
    record = Record.objects.get(meeting=first)
    assert record.completed_by == proposed["officer"]
    assert Meeting.objects.get(pk=first.pk).status == "held"
    action = Action.objects.get(meeting=first)
    assert (action.owner, action.due_date, action.status) == (
        "Senior Attendance Champion",
        date(2026, 1, 16),
        "open",
    )
    # The next meeting's pack shows it, and its record follows it up.
    page = client.get(reverse("tsm:meeting", args=[second.pk])).content.decode()
    assert "Agree a joint plan for the severely absent pupil" in page
    client.post(
        reverse("tsm:meeting", args=[second.pk]),
        {
            "attendees": "Head teacher; KPAS officer",
            "whole_school": "Improving.",
            f"follow_{action.pk}_status": "done",
            f"follow_{action.pk}_note": "Plan agreed 12 January",
        },
    )
    action.refresh_from_db()
    assert (action.status, action.followed_up_at_id, action.follow_up_note) == (
        "done",
        second.pk,
        "Plan agreed 12 January",
    )
    with pytest.raises(Conflict):  # completed once
        tsm_record_complete(
            actor=proposed["officer"],
            meeting_id=second.pk,
            attendees="x",
            whole_school="y",
            actions=[],
            follow_ups={},
            today=date(2026, 12, 1),
        )


def test_an_incomplete_action_is_refused(client, proposed) -> None:  # type: ignore[no-untyped-def]
    first = _first(proposed["below"])
    client.force_login(proposed["officer"])
    response = client.post(
        reverse("tsm:meeting", args=[first.pk]),
        {"attendees": "A", "whole_school": "B", "action_0_description": "Something"},
    )
    assert response.status_code == 200
    assert "Give the action, who owns it and a real due date" in response.content.decode()
    assert not Record.objects.filter(meeting=first).exists()


def test_the_record_as_a_pdf(proposed, tmp_path) -> None:  # type: ignore[no-untyped-def]
    meeting = _first(proposed["below"])
    tsm_record_complete(
        actor=proposed["officer"],
        meeting_id=meeting.pk,
        attendees="Head teacher; KPAS officer",
        whole_school="Attendance discussed for the whole school.",
        actions=[
            NewAction(
                "Review the EAL cohort's attendance", "authority", "KPAS officer", date(2026, 2, 6)
            )
        ],
        follow_ups={},
        today=meeting.date,  # type: ignore[arg-type]
    )
    meeting.refresh_from_db()
    document = record_pdf_request(meeting=meeting, requested_by=proposed["head"])
    assert record_pdf_request(meeting=meeting, requested_by=proposed["head"]).pk == document.pk
    document_render(document_id=document.pk)
    document = Document.objects.get(pk=document.pk)
    assert document.status == "ready"
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(bytes(document.content))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "TSM Record of Consultation" in text
    assert "Below Primary" in text
    assert "Review the EAL cohort's attendance" in text
    assert SEVERE_NAME not in text
