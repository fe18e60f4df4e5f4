"""The form pages one set of views runs for all eleven pathways: the front door, start
page, one page per step, check your answers, confirmation and deleting a draft.

Drafts are rows (status draft) addressed by their token: a signed-in author's, or one this
browser session started without an account.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from kpas.base.models import User
from referrals import clock, selectors, services
from referrals.binding import bind_fields, blank_row, raw_from_answers
from referrals.context import context_for
from referrals.engine import (
    REASONS_KEY,
    StepResult,
    evaluate_requirements,
    first_incomplete_step,
    group_rows_from_post,
    intro_for,
    read_step,
    step_after,
    step_before,
    step_shown,
    summary,
)
from referrals.engine.context import Context
from referrals.engine.definitions import Audience, Kind, Pathway, Step, StepKind
from referrals.models import Submission
from referrals.panels import panel_data
from referrals.pathways import all_pathways, pathway_get
from referrals.uploads import MAX_FILES_PER_SUBMISSION, UploadRejected, human_size, max_bytes

SESSION_DRAFTS = "dfd_drafts"  # tokens of forms this browser started without an account
SESSION_SENT = "dfd_sent"


# --- helpers ---------------------------------------------------------------------------------
def request_user(request: HttpRequest) -> User | None:
    user = request.user
    return user if user.is_authenticated else None  # type: ignore[return-value]


def session_tokens(request: HttpRequest) -> list[str]:
    return list(request.session.get(SESSION_DRAFTS, []))


def _remember(request: HttpRequest, token: str) -> None:
    tokens = session_tokens(request)
    if token not in tokens:
        request.session[SESSION_DRAFTS] = [*tokens[-19:], token]


def _pathway(slug: str) -> Pathway:
    pathway = pathway_get(slug)
    if pathway is None:
        raise Http404("No such form.")
    return pathway


def _draft(request: HttpRequest, pathway: Pathway, token: Any) -> Submission:
    submission = selectors.draft_get_for(request_user(request), token, session_tokens(request))
    if submission.pathway != pathway.slug:
        raise Http404("No such form.")
    return submission


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _step_url(pathway: Pathway, submission: Submission, step: Step | None) -> str:
    if step is None:
        return reverse("referrals:check", args=[pathway.slug, submission.token])
    return reverse("referrals:step", args=[pathway.slug, submission.token, step.slug])


def form_context(request: HttpRequest, submission: Submission) -> Context:
    return context_for(submission, user=request_user(request), today=clock.today())


def _sent_redirect(pathway: Pathway, submission: Submission) -> HttpResponseRedirect:
    return redirect("referrals:confirmation", pathway.slug, submission.token)


# --- the front door ------------------------------------------------------------------------------
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    rows = [(p, services.pathway_refusal(user, p)) for p in all_pathways()]
    available = [p for p, refusal in rows if refusal is None]
    return render(
        request,
        "referrals/index.html",
        {
            "available": available,
            "signed_in": user is not None,
            "others": [
                (p, r)
                for p, r in rows
                if r is not None
                and (
                    user is None or Audience.SCHOOL_STAFF in p.audiences or not user.is_school_staff
                )
            ],
        },
    )


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, slug: str) -> HttpResponse:
    pathway = _pathway(slug)
    user = request_user(request)
    refusal = services.pathway_refusal(user, pathway)
    if request.method == "POST" and refusal is None:
        submission = services.submission_start(actor=user, pathway=pathway)
        if user is None:
            _remember(request, str(submission.token))
        ctx = form_context(request, submission)
        return redirect(_step_url(pathway, submission, step_after(pathway, ctx, "")))
    drafts = []
    if user is not None:
        drafts = list(selectors.draft_list_for(user).filter(pathway=pathway.slug)[:5])
    return render(
        request,
        "referrals/start.html",
        {
            "pathway": pathway,
            "refusal": refusal,
            "drafts": drafts,
            "signed_in": user is not None,
            "anonymous_allowed": Audience.ANONYMOUS in pathway.audiences,
            "login_url": f"{reverse('login')}?next={request.path}",
        },
        status=200,
    )


# --- question pages ---------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, slug: str, token: Any, step_slug: str) -> HttpResponse:
    pathway = _pathway(slug)
    submission = _draft(request, pathway, token)
    if not submission.is_draft:
        return _sent_redirect(pathway, submission)
    ctx = form_context(request, submission)
    current = pathway.step(step_slug)
    if current is None or not step_shown(current, ctx):
        return redirect(
            _step_url(
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
    return redirect(_step_url(pathway, submission, following))


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
        focus=f"{name}-{len(raw.get(name, [])) - 1}" if verb == "add" else "",
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
                url = _step_url(pathway, submission, current)
                return redirect(f"{url}?change=1" if changing else url)
        return _render_step(request, pathway, submission, current, ctx, {}, result, changing)
    if action.startswith("remove-evidence:"):
        pk = action.partition(":")[2]
        evidence = submission.evidence.filter(pk=pk if pk.isdigit() else 0).first()
        if evidence is not None:
            services.evidence_remove(actor=user, evidence=evidence)
        return redirect(_step_url(pathway, submission, current))
    if ctx.evidence_count < current.min_files:
        result.add_error("evidence", "Upload at least one file", "id_evidence")
        return _render_step(request, pathway, submission, current, ctx, {}, result, changing)
    if current.slug not in submission.steps_done:
        submission.steps_done = [*submission.steps_done, current.slug]
        submission.save(update_fields=["steps_done", "updated_at"])
    following = (
        first_incomplete_step(pathway, ctx, submission.steps_done)
        if changing
        else step_after(pathway, ctx, current.slug)
    )
    return redirect(_step_url(pathway, submission, following))


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
        else _step_url(pathway, submission, previous)
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


# --- check your answers, sending and confirmation --------------------------------------------
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, slug: str, token: Any) -> HttpResponse:
    pathway = _pathway(slug)
    submission = _draft(request, pathway, token)
    if not submission.is_draft:
        return _sent_redirect(pathway, submission)
    ctx = form_context(request, submission)
    incomplete = first_incomplete_step(pathway, ctx, submission.steps_done)
    if incomplete is not None:
        return redirect(_step_url(pathway, submission, incomplete))
    reasons: dict[str, str] = dict(ctx.answers.get(REASONS_KEY) or {})
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        reasons = {
            key[len("reason-") :]: value
            for key, value in request.POST.items()
            if key.startswith("reason-")
        }
        try:
            sent = services.submission_submit(
                actor=request_user(request),
                submission=submission,
                today=clock.today(),
                base_url=_base_url(request),
                reasons=reasons,
            )
        except services.SubmissionRefused as refused:
            if not refused.invalid.ok:
                first = first_incomplete_step(pathway, ctx, ()) or None
                return redirect(_step_url(pathway, submission, first))
            errors = [
                (message, f"#reason-{key}") for key, message in refused.reasons_missing.items()
            ]
            if refused.blocked:
                errors = [
                    (r.requirement.failure, f"#condition-{r.requirement.id}")
                    for r in refused.blocked
                ] + errors
        else:
            if request_user(request) is None:
                request.session[SESSION_SENT] = {
                    **request.session.get(SESSION_SENT, {}),
                    str(sent.token): sent.reference,
                }
            return _sent_redirect(pathway, sent)
    ctx = ctx.with_answers({**ctx.answers, REASONS_KEY: reasons})
    results = evaluate_requirements(pathway, ctx)
    return render(
        request,
        "referrals/check.html",
        {
            "pathway": pathway,
            "submission": submission,
            "sections": summary(pathway, ctx),
            "results": results,
            "blocked": [r for r in results if r.blocks],
            "needs_reason": [r for r in results if r.needs_reason],
            "warnings": [r for r in results if r.warns],
            "errors": errors,
            "reasons": reasons,
            "evidence": list(submission.evidence.all()),
            "evidence_step": next(
                (s for s in pathway.steps if s.kind == StepKind.EVIDENCE and step_shown(s, ctx)),
                None,
            ),
            "facts": ctx.facts,
            "ctx": ctx,
            "signed_in": request_user(request) is not None,
            "back_url": _step_url(pathway, submission, _last_step(pathway, ctx)),
        },
    )


def _last_step(pathway: Pathway, ctx: Context) -> Step | None:
    from referrals.engine import visible_steps

    steps = visible_steps(pathway, ctx)
    return steps[-1] if steps else None


@require_http_methods(["GET"])
def confirmation(request: HttpRequest, slug: str, token: Any) -> HttpResponse:
    pathway = _pathway(slug)
    user = request_user(request)
    if user is None:
        reference = request.session.get(SESSION_SENT, {}).get(str(token))
        submission = (
            Submission.objects.filter(token=token, reference=reference).first()
            if reference
            else None
        )
        if submission is None:
            raise Http404("No such form.")
    else:
        submission = _draft(request, pathway, token)
    if submission.is_draft:
        return redirect(reverse("referrals:check", args=[pathway.slug, submission.token]))
    return render(
        request,
        "referrals/confirmation.html",
        {
            "pathway": pathway,
            "submission": submission,
            "signed_in": user is not None,
        },
    )


@require_http_methods(["GET", "POST"])
def draft_delete(request: HttpRequest, slug: str, token: Any) -> HttpResponse:
    pathway = _pathway(slug)
    submission = _draft(request, pathway, token)
    if not submission.is_draft:
        return _sent_redirect(pathway, submission)
    if request.method == "POST":
        services.submission_draft_delete(actor=request_user(request), submission=submission)
        messages.success(request, f"Your draft {pathway.title.lower()} has been deleted")
        return redirect("referrals:submissions" if request_user(request) else "referrals:index")
    return render(
        request,
        "referrals/draft_delete.html",
        {
            "pathway": pathway,
            "submission": submission,
            "back_url": reverse("referrals:check", args=[pathway.slug, submission.token]),
        },
    )
