"""Pages after sending: your submissions, the officer's queue, a submission with its
timeline and the officer's actions, and evidence downloads through a scoped view."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from kpas.base.audit import AuditAction, audit_record
from kpas.base.models import User
from referrals import clock, errors, selectors, services, uploads
from referrals.cases import services as case_services
from referrals.cases.machines import machine_for
from referrals.cases.rules import CaseRefused
from referrals.cases.selectors import case_of_submission
from referrals.context import context_for
from referrals.engine import (
    summary,
)
from referrals.forms import ActionForm, AnswerForm
from referrals.models import Evidence, Submission
from referrals.pathway_names import PathwayName
from referrals.pathways import pathway_of
from referrals.queue_clocks import queue_clocks
from referrals.rules import ClosingOutcome, Status, allowed_targets
from referrals.views.form_helpers import base_url_of, request_user, session_tokens


# --- your submissions, the officer's queue and a submission's page --------------------------------
@login_required
@require_http_methods(["GET"])
def submissions(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    sent = selectors.submission_list_for(user).order_by("-submitted_at")
    if not user.is_school_staff:
        sent = sent.filter(submitter=user)
    page = Paginator(sent, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/submissions.html",
        {
            "drafts": selectors.draft_list_for(user)[:50],
            "page": page,
            "school_staff": user.is_school_staff,
        },
    )


QUEUE_SORTS = {
    "waiting": "submitted_at",
    "newest": "-submitted_at",
    "school": "school__name",
}


@login_required
@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    """Triage: the queues of the officer's teams (and areas), each row with its key facts,
    how long it has waited and its statutory clock; sortable and filterable."""
    user: User = request.user  # type: ignore[assignment]
    if not user.is_authority_staff:
        raise Http404("No such page.")
    teams = list(selectors.team_list_for(user))
    team = next((t for t in teams if t.slug == request.GET.get("team")), None)
    status = request.GET.get("status", "open")
    mine = request.GET.get("mine") == "1"
    items = selectors.team_queue_for(user, team=team, status=status, mine=mine)
    areas = sorted({t.area for t in teams if t.area is not None}, key=lambda a: a.name)
    area = next((a for a in areas if str(a.pk) == request.GET.get("area")), None)
    if area is not None:
        items = items.filter(school__district__area=area)
    pathway = request.GET.get("pathway", "")
    if pathway in PathwayName.values:
        items = items.filter(pathway=pathway)
    sort = request.GET.get("sort", "waiting")
    today = clock.today()
    if sort == "clock":
        # The statutory clock is computed, not stored: sort the open queue in memory.
        rows = list(items[:500])
        found = queue_clocks(rows, today)
        rows.sort(key=lambda s: found[s.pk].due_on if s.pk in found else date.max)
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
    else:
        items = items.order_by(QUEUE_SORTS.get(sort, "submitted_at"))
        page = Paginator(items, 50).get_page(request.GET.get("page"))
        found = queue_clocks(list(page.object_list), today)
    rows_out = [
        {
            "item": s,
            "clock": found.get(s.pk),
            "overdue": s.pk in found and found[s.pk].overdue(today),
            "waiting_days": (today - timezone.localdate(s.submitted_at)).days
            if s.submitted_at
            else None,
        }
        for s in page.object_list
    ]
    return render(
        request,
        "referrals/queue.html",
        {
            "teams": teams,
            "team": team,
            "areas": areas,
            "area": area,
            "pathways": PathwayName.choices,
            "pathway": pathway,
            "sort": sort,
            "sorts": [
                ("waiting", "Waited longest"),
                ("clock", "Statutory clock"),
                ("newest", "Newest"),
                ("school", "School"),
            ],
            "status": status,
            "mine": mine,
            "page": page,
            "rows": rows_out,
            "statuses": [("open", "Open"), *Status.choices[1:]],
        },
    )


@login_required
@require_http_methods(["GET"])
def submission_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    submission = selectors.submission_get_for(user, reference)
    audit_record(actor=user, action=AuditAction.REFERRAL_VIEWED, obj=submission)
    return _detail(request, user, submission)


def _detail(
    request: HttpRequest,
    user: User,
    submission: Submission,
    *,
    errors: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    pathway = pathway_of(submission.pathway)
    # The answers are shown as the sender saw them (with or without an account).
    ctx = context_for(submission, user=submission.submitter, today=clock.today())
    workable = selectors.can_work_on(user, submission)
    case = case_of_submission(submission)
    return render(
        request,
        "referrals/submission.html",
        {
            "submission": submission,
            "pathway": pathway,
            "sections": summary(pathway, ctx) if pathway else [],
            "conditions": submission.conditions,
            "snapshot": submission.register_snapshot,
            "events": selectors.submission_events_for(user, submission),
            "case": case,
            "case_status": machine_for(case.kind).label(case.status) if case else "",
            "case_kind": case_services.PATHWAY_CASE.get(submission.pathway)
            if submission.school_id
            else None,
            "question_open": selectors.question_open(submission),
            "may_answer": not user.is_authority_staff
            and submission.status in (Status.SUBMITTED, Status.TRIAGED),
            "default_officer": _default_officer(submission),
            "evidence": submission.evidence.all(),
            "workable": workable,
            "targets": allowed_targets(submission.status) if workable else [],
            "officers": selectors.officer_choices_for(submission) if workable else [],
            "copied": submission.copied_teams.all(),
            "form": ActionForm(request.POST or None) if errors else ActionForm(),
            "errors": errors or [],
            "error_fields": {href.lstrip("#") for _, href in errors or []},
            "closing_outcomes": ClosingOutcome.choices
            if submission.pathway == PathwayName.CME
            else [],
            "back_url": reverse("referrals:queue")
            if user.is_authority_staff
            else reverse("referrals:submissions"),
        },
        status=status,
    )


def _default_officer(submission: Submission) -> int | None:
    """Allocation defaults to the officer linked to the pupil's school (exclusion work: the
    school's exclusion intervention adviser)."""
    school = submission.school
    if school is None:
        return None
    if submission.pathway in (PathwayName.EXCLUSION, PathwayName.EXCLUSION_ADVICE):
        return school.exclusion_adviser_id or school.attendance_officer_id
    return school.attendance_officer_id


# Where each action's error points in the GOV.UK error summary.
FIELD_ANCHORS = {
    "note": "#id_note",
    "officer": "#id_officer",
    "closing_outcome": "#id_closing_outcome",
    "deletion_advised_on": "#id_deletion_advised_on_day",
    "deletion_advised_on_day": "#id_deletion_advised_on_day",
    "action": "#id_note",
}


@login_required
@require_POST
def submission_action(request: HttpRequest, reference: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    submission = selectors.submission_workable_for(user, reference)
    form = ActionForm(request.POST)

    def refused(message: str, field: str) -> HttpResponse:
        anchor = FIELD_ANCHORS.get(field, "#id_note")
        return _detail(request, user, submission, errors=[(message, anchor)], status=400)

    if not form.is_valid():
        field, problems = next(iter(form.errors.items()))
        return refused(" ".join(problems), field)
    action, note = form.cleaned_data["action"], form.cleaned_data["note"]
    base_url = base_url_of(request)
    try:
        if action == "triage":
            if submission.pathway in case_services.PATHWAY_CASE and submission.school_id:
                # Accepting opens the case (and accepts the submission) in one step.
                case = case_services.case_open(
                    actor=user, submission=submission, today=clock.today(), note=note
                )
                messages.success(request, "Accepted: case opened")
                return redirect("cases:case", case.pk)
            services.submission_triage(
                actor=user, submission=submission, note=note, base_url=base_url
            )
        elif action == "close":
            if not note:
                return refused(errors.CLOSE_OUTCOME_REQUIRED, "note")
            services.submission_close(
                actor=user,
                submission=submission,
                outcome=note,
                closing_outcome=form.cleaned_data["closing_outcome"] or "",
                deletion_advised_on=form.cleaned_data["deletion_advised_on"],
                today=clock.today(),
                base_url=base_url,
            )
        elif action == "reopen":
            services.submission_reopen(actor=user, submission=submission, note=note)
        elif action == "allocate":
            officer = (
                selectors.officer_choices_for(submission)
                .filter(pk=form.cleaned_data.get("officer") or 0)
                .first()
            )
            if officer is None:
                return refused(errors.OFFICER_REQUIRED, "officer")
            services.submission_allocate(
                actor=user, submission=submission, officer=officer, base_url=base_url
            )
        elif action == "note":
            if not note:
                return refused(errors.NOTE_REQUIRED, "note")
            services.submission_note_add(
                actor=user,
                submission=submission,
                note=note,
                shared=form.cleaned_data["shared"],
            )
        elif action == "ask":
            services.submission_question_ask(
                actor=user, submission=submission, question=note, base_url=base_url
            )
    except services.CloseRefused as problem:
        return refused(str(problem), problem.field)
    except (ValueError, CaseRefused) as problem:
        return refused(str(problem), "action")
    messages.success(
        request,
        {
            "triage": "Accepted",
            "close": "Closed",
            "reopen": "Reopened",
            "allocate": "Allocated",
            "note": "Shared note added" if form.cleaned_data["shared"] else "Internal note added",
            "ask": "Question sent to the school",
        }[action],
    )
    return redirect("referrals:submission", submission.reference)


@login_required
@require_POST
def submission_answer(request: HttpRequest, reference: str) -> HttpResponse:
    """The school answers the authority's question on its own submission."""
    user: User = request.user  # type: ignore[assignment]
    submission = selectors.submission_get_for(user, reference)
    if user.is_authority_staff:
        raise Http404("No such page.")
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _detail(
            request, user, submission, errors=[(services.ANSWER_REQUIRED, "#id_answer")], status=400
        )
    try:
        services.submission_question_answer(
            actor=user,
            submission=submission,
            answer=form.cleaned_data["answer"],
            base_url=base_url_of(request),
        )
    except ValueError as problem:
        return _detail(request, user, submission, errors=[(str(problem), "#id_answer")], status=400)
    messages.success(request, "Answer sent")
    return redirect("referrals:submission", submission.reference)


@require_http_methods(["GET"])
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    evidence: Evidence = selectors.evidence_get_for(user, pk, session_tokens(request))
    audit_record(
        actor=request_user(request),
        action=AuditAction.REFERRAL_EVIDENCE_DOWNLOADED,
        obj=evidence.submission,
        detail={"evidence": evidence.pk},
    )
    stream = evidence.file.open("rb")
    # Served as what its bytes are, under a name that cannot be a path or another type.
    file_type = uploads.stored_type(stream)
    response = FileResponse(
        stream,
        content_type=file_type.content_type,
        as_attachment=True,
        filename=uploads.download_name(
            evidence.original_name, file_type, fallback=f"evidence-{evidence.pk}"
        ),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
