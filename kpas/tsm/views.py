"""The TSM diary: the year's meetings for a school or an officer, agreeing and moving dates,
asking for termly meetings (DOMAIN §12)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kpas.base.errors import ApplicationError, NotFound
from kpas.tsm.forms import MoveForm, RecordForm
from kpas.tsm.models import Meeting, Record
from kpas.tsm.pack import meeting_pack
from kpas.tsm.record import (
    NewAction,
    record_pdf_request,
    tsm_joint_plan_record,
    tsm_record_complete,
)
from kpas.tsm.selectors import meeting_get_for, meeting_list_for, plans_for
from kpas.tsm.services import tsm_meeting_agree, tsm_meeting_move, tsm_termly_ask
from schools.selectors import pupil_get_for, school_get_for


def _side(request: HttpRequest) -> str:
    return "school" if request.user.is_school_staff else "officer"  # type: ignore[union-attr]


@login_required
def diary(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    meetings = list(meeting_list_for(request.user, today=today))  # type: ignore[arg-type]
    side = _side(request)
    waiting = [
        m
        for m in meetings
        if m.status == Meeting.Status.PROPOSED
        and m.date is not None
        and not getattr(m, f"agreed_by_{side}")
    ]
    return render(
        request,
        "tsm/diary.html",
        {
            "meetings": meetings,
            "waiting": waiting,
            "side": side,
            "plans": list(plans_for(request.user, today=today).order_by("school__name")),  # type: ignore[arg-type]
        },
    )


@login_required
@require_POST
def agree(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_get_for(request.user, meeting_id)  # type: ignore[arg-type]
    tsm_meeting_agree(actor=request.user, meeting_id=meeting.pk)  # type: ignore[arg-type]
    messages.success(
        request, f"You agreed the meeting with {meeting.school} on {meeting.date:%-d %B %Y}."
    )
    return redirect("tsm:diary")


@login_required
@require_POST
def agree_all(request: HttpRequest) -> HttpResponse:
    """Agree every proposed date waiting for the user's side."""
    today = timezone.localdate()
    side = _side(request)
    count = 0
    for meeting in meeting_list_for(request.user, today=today).filter(  # type: ignore[arg-type]
        status=Meeting.Status.PROPOSED, date__isnull=False, **{f"agreed_by_{side}": False}
    ):
        tsm_meeting_agree(actor=request.user, meeting_id=meeting.pk)  # type: ignore[arg-type]
        count += 1
    messages.success(request, f"You agreed {count} meeting{'s' if count != 1 else ''}.")
    return redirect("tsm:diary")


@login_required
def move(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_get_for(request.user, meeting_id)  # type: ignore[arg-type]
    initial = (
        {"day": meeting.date.day, "month": meeting.date.month, "year": meeting.date.year}
        if meeting.date
        else {}
    )
    form = MoveForm(request.POST or None, initial={**initial, "mode": meeting.mode})
    if request.method == "POST" and form.is_valid():
        try:
            tsm_meeting_move(
                actor=request.user,  # type: ignore[arg-type]
                meeting_id=meeting.pk,
                day=form.cleaned_data["date"],
                mode=form.cleaned_data["mode"],
                today=timezone.localdate(),
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                "The meeting has been moved. The other side is asked to agree the new date.",
            )
            return redirect("tsm:diary")
    return render(request, "tsm/move.html", {"meeting": meeting, "form": form})


@login_required
@require_POST
def ask_termly(request: HttpRequest, urn: str) -> HttpResponse:
    school = school_get_for(request.user, urn)  # type: ignore[arg-type]
    tsm_termly_ask(actor=request.user, school=school, today=timezone.localdate())  # type: ignore[arg-type]
    messages.success(request, f"{school} will have a Targeting Support Meeting every term.")
    return redirect("tsm:diary")


@login_required
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The meeting's pack, and its Record of Consultation: the form until it is completed,
    then the record with its PDF."""
    found = meeting_get_for(request.user, meeting_id)  # type: ignore[arg-type]
    today = timezone.localdate()
    school_view = request.user.is_school_staff  # type: ignore[union-attr]
    pack = meeting_pack(found, school_view=school_view, today=today)
    record = Record.objects.filter(meeting=found).first()
    form = None
    if record is None and found.date is not None and found.date <= today:
        form = RecordForm(request.POST or None, earlier=pack.previous_actions)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                tsm_record_complete(
                    actor=request.user,  # type: ignore[arg-type]
                    meeting_id=found.pk,
                    attendees=data["attendees"],
                    whole_school=data["whole_school"],
                    cohorts=data["cohorts"],
                    severe_absence=data["severe_absence"],
                    support=data["support"],
                    actions=[NewAction(*row) for row in data["actions"]],
                    follow_ups=data["follow_ups"],
                    today=today,
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "The Record of Consultation is completed.")
                return redirect("tsm:meeting", meeting_id=found.pk)
    return render(
        request,
        "tsm/meeting.html",
        {
            "meeting": found,
            "pack": pack,
            "record": record,
            "form": form,
            "actions": list(found.actions.all()),
            "followed_up": list(found.followed_up_actions.select_related("meeting")),
        },
    )


@login_required
@require_POST
def record_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    found = meeting_get_for(request.user, meeting_id)  # type: ignore[arg-type]
    if not Record.objects.filter(meeting=found).exists():
        raise NotFound("No record yet.")
    document = record_pdf_request(meeting=found, requested_by=request.user)  # type: ignore[arg-type]
    return redirect("documents:progress", public_id=document.public_id)


@login_required
@require_POST
def joint_plan(request: HttpRequest, meeting_id: int, upn: str) -> HttpResponse:
    """School staff record that a severely absent pupil now has a joint plan."""
    found = meeting_get_for(request.user, meeting_id)  # type: ignore[arg-type]
    if not request.user.is_school_staff:  # type: ignore[union-attr]
        raise NotFound()
    pupil = pupil_get_for(request.user, upn)  # type: ignore[arg-type]
    tsm_joint_plan_record(
        actor=request.user, meeting=found, pupil=pupil, today=timezone.localdate()
    )  # type: ignore[arg-type]
    messages.success(request, f"{pupil.display_name} now has a joint plan.")
    return redirect("tsm:meeting", meeting_id=found.pk)
