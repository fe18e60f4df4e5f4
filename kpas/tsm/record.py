"""Completing the TSM Record of Consultation on screen, the actions agreed and their follow
up, joint plans, and the record as a PDF through the documents pipeline (KSAH §15 ii)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from kpas.base.audit import AuditAction, audit_record
from kpas.base.documents.registry import DocumentKind, RenderedFile, register
from kpas.base.documents.services import document_request
from kpas.base.errors import ApplicationError, Conflict
from kpas.base.models import Document, User
from kpas.tsm.models import Action, JointPlan, Meeting, Record
from kpas.tsm.selectors import meeting_get_for
from schools.calendar import academic_year_of
from schools.models import Pupil

RECORD_KIND: Final = "tsm.record"
ALREADY_COMPLETED: Final = "The Record of Consultation for this meeting is already completed."
NOT_YET_HELD: Final = "A record can be completed on the day of the meeting or after it."
NO_DATE: Final = "Agree a date for the meeting before completing its record."


@dataclass(frozen=True)
class NewAction:
    description: str
    owner_side: str
    owner: str
    due_date: date


@transaction.atomic
def tsm_record_complete(
    *,
    actor: User,
    meeting_id: int,
    attendees: str,
    whole_school: str,
    cohorts: str = "",
    severe_absence: str = "",
    support: str = "",
    actions: list[NewAction],
    follow_ups: dict[int, tuple[str, str]],
    today: date,
) -> Record:
    """The meeting is held: its record, the actions agreed and the follow-up of earlier
    actions (id -> (status, note)) are written at once. Completed once (a double submit is a
    conflict, not a second record)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    if Record.objects.filter(meeting=meeting).exists():
        raise Conflict(ALREADY_COMPLETED, code="tsm_record_completed")
    if meeting.date is None:
        raise ApplicationError(NO_DATE, code="tsm_no_date")
    if meeting.date > today:
        raise ApplicationError(NOT_YET_HELD, code="tsm_not_yet_held")
    record = Record.objects.create(
        meeting=meeting,
        attendees=attendees,
        whole_school=whole_school,
        cohorts=cohorts,
        severe_absence=severe_absence,
        support=support,
        completed_by=actor,
    )
    Action.objects.bulk_create(
        Action(
            meeting=meeting,
            school_id=meeting.school_id,
            description=a.description,
            owner_side=Action.Side(a.owner_side),
            owner=a.owner,
            due_date=a.due_date,
        )
        for a in actions
    )
    earlier = (
        Action.objects.select_for_update()
        .filter(school_id=meeting.school_id, pk__in=follow_ups)
        .exclude(meeting=meeting)
    )
    for action in earlier:
        status, note = follow_ups[action.pk]
        action.status = Action.Status(status)
        action.follow_up_note = note
        action.followed_up_at = meeting
        action.save(update_fields=["status", "follow_up_note", "followed_up_at"])
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.TSM_RECORD_COMPLETED,
        obj=meeting,
        detail={"actions": len(actions), "followed_up": len(follow_ups)},
    )
    return record


@transaction.atomic
def tsm_joint_plan_record(*, actor: User, meeting: Meeting, pupil: Pupil, today: date) -> JointPlan:
    """The school records that a severely absent pupil now has a joint plan. Idempotent."""
    plan, _ = JointPlan.objects.get_or_create(
        school_id=meeting.school_id,
        pupil=pupil,
        academic_year=academic_year_of(meeting.date or today),
        defaults={"agreed_on": today, "recorded_by": actor},
    )
    return plan


# --- the record as a PDF ---------------------------------------------------------------------
def record_pdf_request(*, meeting: Meeting, requested_by: User) -> Document:
    """Either side's copy of the completed record (one document per version of it)."""
    record = meeting.record
    key = f"{RECORD_KIND}:{meeting.pk}:{record.completed_at:%Y%m%d%H%M%S}:u{requested_by.pk}"
    return document_request(
        kind=RECORD_KIND, key=key, requested_by=requested_by, params={"meeting_id": meeting.pk}
    )


def render_record(meeting: Meeting) -> bytes:
    from weasyprint import HTML  # loading Pango is slow and only PDFs need it

    record = meeting.record
    html = render_to_string(
        "tsm/record_pdf.html",
        {
            "meeting": meeting,
            "record": record,
            "actions": list(meeting.actions.all()),
            "followed_up": list(meeting.followed_up_actions.select_related("meeting")),
            "authority_name": settings.AUTHORITY_NAME,
            "service_name": settings.SERVICE_NAME,
            "produced_at": timezone.localtime(),
        },
    )
    return bytes(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())


def _render(document: Document) -> RenderedFile:
    meeting = Meeting.objects.select_related("school", "officer", "record").get(
        pk=document.params["meeting_id"]
    )
    filename = f"tsm-record-of-consultation-{meeting.school.urn}-{meeting.date:%Y%m%d}.pdf"
    return RenderedFile(filename, render_record(meeting))


def _may_access(user: User, params: dict[str, Any]) -> bool:
    try:
        meeting_get_for(user, int(params["meeting_id"]))
    except Http404:
        return False
    return True


def _back_url(params: dict[str, Any]) -> str:
    return reverse("tsm:meeting", kwargs={"meeting_id": params["meeting_id"]})


def register_record_kind() -> None:
    """Called from TsmConfig.ready()."""
    register(
        DocumentKind(
            kind=RECORD_KIND,
            label="TSM Record of Consultation",
            render=_render,
            may_access=_may_access,
            back_url=_back_url,
        )
    )
