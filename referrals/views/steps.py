"""The question pages: one page per step of any pathway, with its repeating groups and
evidence uploads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from referrals import clock, services
from referrals.binding import bind_fields, blank_row, raw_from_answers
from referrals.engine import (
    StepResult,
    evaluate_requirements,
    first_incomplete_step,
    group_rows_from_post,
    intro_for,
    read_step,
    step_after,
    step_before,
    step_shown,
)
from referrals.engine.context import Context
from referrals.engine.definitions import Kind, Pathway, Step, StepKind
from referrals.models import Submission
from referrals.panels import panel_data
from referrals.uploads import MAX_FILES_PER_SUBMISSION, UploadRejected, human_size, max_bytes
from referrals.views.form_helpers import (
    draft_or_404,
    form_context,
    pathway_or_404,
    request_user,
    sent_redirect,
    step_url,
)


# --- question pages ---------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, slug: str, token: Any, step_slug: str) -> HttpResponse:
    pathway = pathway_or_404(slug)
    submission = draft_or_404(request, pathway, token)
    if not submission.is_draft:
        return sent_redirect(pathway, submission)
    ctx = form_context(request, submission)
    current = pathway.step(step_slug)
    if current is None or not step_shown(current, ctx):
        return redirect(
            step_url(
                pathway, submission, first_incomplete_step(pathway, ctx, submission.steps_done)
            )
        )
    changing = request.GET.get("change") == "1"
    if request.method == "GET":
        return _render_step(
            request,
            pathway,
            submission,
            current,
            ctx,
            raw_from_answers(current, ctx.answers),
            StepResult(),
            changing,
        )

    action = request.POST.get("action", "continue")
    if current.kind == StepKind.EVIDENCE:
        return _evidence_post(request, pathway, submission, current, ctx, action, changing)
    if action.startswith(("add:", "remove:")):
        return _group_edit(request, pathway, submission, current, ctx, action, changing)
    result = read_step(pathway, current, request.POST, ctx)
    if not result.ok:
        return _render_step(
            request, pathway, submission, current, ctx, result.raw, result, changing, status=200
        )
    submission = services.submission_draft_save(
        actor=request_user(request),
        submission=submission,
        step=current,
        result=result,
        today=clock.today(),
    )
    if action == "save" and request_user(request) is not None:
        messages.success(
            request,
            "Your answers have been saved. You can come back to this form from Your submissions.",
        )
        return redirect("referrals:submissions")
    ctx = form_context(request, submission)
    if changing:
        following = first_incomplete_step(pathway, ctx, submission.steps_done)
    else:
        following = step_after(pathway, ctx, current.slug)
        if following is not None and following.slug in submission.steps_done:
            following = first_incomplete_step(pathway, ctx, submission.steps_done) or following
    return redirect(step_url(pathway, submission, following))


def _group_edit(
    request: HttpRequest,
    pathway: Pathway,
    submission: Submission,
    current: Step,
    ctx: Context,
    action: str,
    changing: bool,
) -> HttpResponse:
    """Add another / Remove, without JavaScript: the page comes back with what was typed."""
    raw: dict[str, Any] = {}
    result = read_step(pathway, current, request.POST, ctx)
    raw.update(result.raw)
    verb, _, rest = action.partition(":")
    name, _, index = rest.partition(":")
    group = next((f for f in current.fields if f.name == name and f.kind == Kind.GROUP), None)
    if group is not None:
        rows = group_rows_from_post(group, request.POST)
        if verb == "add" and len(rows) < group.max_items:
            rows.append(blank_row(group))
        elif verb == "remove" and index.isdigit() and int(index) < len(rows):
            rows.pop(int(index))
        raw[name] = rows
    return _render_step(
        request,
        pathway,
        submission,
        current,
        ctx,
        raw,
        StepResult(),
        changing,
        # After Add another the new item's first question, after Remove the list's heading
        focus=f"{name}-{len(raw.get(name, [])) - 1}" if verb == "add" else f"{name}-heading",
    )


def _evidence_post(
    request: HttpRequest,
    pathway: Pathway,
    submission: Submission,
    current: Step,
    ctx: Context,
    action: str,
    changing: bool,
) -> HttpResponse:
    user = request_user(request)
    result = StepResult()
    if action == "upload":
        upload = request.FILES.get("evidence")
        if upload is None:
            result.add_error("evidence", "Select a file to upload", "id_evidence")
        else:
            try:
                services.evidence_attach(
                    actor=user,
                    submission=submission,
                    stream=upload,
                    size=upload.size or 0,
                    name=upload.name or "file",
                )
            except UploadRejected as rejected:
                result.add_error("evidence", str(rejected), "id_evidence")
            else:
                messages.success(request, f"{upload.name} has been uploaded")
                url = step_url(pathway, submission, current)
                return redirect(f"{url}?change=1" if changing else url)
        return _render_step(request, pathway, submission, current, ctx, {}, result, changing)
    if action.startswith("remove-evidence:"):
        pk = action.partition(":")[2]
        evidence = submission.evidence.filter(pk=pk if pk.isdigit() else 0).first()
        if evidence is not None:
            services.evidence_remove(actor=user, evidence=evidence)
        return redirect(step_url(pathway, submission, current))
    if ctx.evidence_count < current.min_files:
        result.add_error("evidence", "Upload at least one file", "id_evidence")
        return _render_step(request, pathway, submission, current, ctx, {}, result, changing)
    services.submission_step_done(submission=submission, step_slug=current.slug)
    following = (
        first_incomplete_step(pathway, ctx, submission.steps_done)
        if changing
        else step_after(pathway, ctx, current.slug)
    )
    return redirect(step_url(pathway, submission, following))


def _render_step(
    request: HttpRequest,
    pathway: Pathway,
    submission: Submission,
    current: Step,
    ctx: Context,
    raw: dict[str, Any],
    result: StepResult,
    changing: bool,
    *,
    status: int = 200,
    focus: str = "",
) -> HttpResponse:
    for item in current.fields:  # a list starts with one blank item to fill in
        if item.kind == Kind.GROUP and not raw.get(item.name):
            raw[item.name] = [blank_row(item)]
    page_ctx = ctx.with_answers({**ctx.answers})
    intro = intro_for(current, ctx)
    # One question alone on a page is the page's heading (GOV.UK question pages), unless
    # figures or an introduction come first: then the step's title is.
    heading = not current.panel and not intro
    fields = bind_fields(current.fields, page_ctx, raw, result.errors, heading=heading)
    heading_field = next((f for f in fields if f.is_heading), None)
    previous = step_before(pathway, ctx, current.slug)
    back = (
        reverse("referrals:check", args=[pathway.slug, submission.token])
        if changing
        else step_url(pathway, submission, previous)
        if previous
        else reverse("referrals:start", args=[pathway.slug])
    )
    results = evaluate_requirements(pathway, ctx) if current.panel else []
    return render(
        request,
        "referrals/step.html",
        {
            "pathway": pathway,
            "submission": submission,
            "step": current,
            "fields": fields,
            "heading_field": heading_field,
            "errors": result.error_list(),
            "back_url": back,
            "intro": intro,
            "changing": changing,
            "facts": ctx.facts,
            "ctx": ctx,
            "results": [r for r in results if r.requirement.field == ""],
            "evidence": list(submission.evidence.all())
            if current.kind == StepKind.EVIDENCE
            else [],
            "max_files": MAX_FILES_PER_SUBMISSION,
            "max_size": human_size(max_bytes()),
            "signed_in": request_user(request) is not None,
            "focus": focus,
            "panel": panel_data(current.panel, ctx) if current.panel else {},
        },
        status=status,
    )
