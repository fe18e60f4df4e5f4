"""The form pages one set of views runs for all eleven pathways: the front door, start
page, check your answers, confirmation and deleting a draft.

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
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from referrals import clock, selectors, services
from referrals.engine import (
    REASONS_KEY,
    StepResult,
    evaluate_requirements,
    first_incomplete_step,
    step_after,
    step_shown,
    summary,
    visible_steps,
)
from referrals.engine.context import Context
from referrals.engine.definitions import Audience, Pathway, Step, StepKind
from referrals.models import Submission
from referrals.pathways import all_pathways
from referrals.views.form_helpers import (
    SESSION_SENT,
    base_url_of,
    draft_or_404,
    form_context,
    pathway_or_404,
    remember_draft,
    request_user,
    sent_redirect,
    step_url,
)


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
    pathway = pathway_or_404(slug)
    user = request_user(request)
    refusal = services.pathway_refusal(user, pathway)
    if request.method == "POST" and refusal is None:
        upn = request.GET.get("upn", "") if user is not None else ""  # issue 14: pre-fill
        submission = services.submission_start(actor=user, pathway=pathway, upn=upn)
        if user is None:
            remember_draft(request, str(submission.token))
        ctx = form_context(request, submission)
        return redirect(step_url(pathway, submission, step_after(pathway, ctx, "")))
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


# --- check your answers, sending and confirmation --------------------------------------------
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, slug: str, token: Any) -> HttpResponse:
    pathway = pathway_or_404(slug)
    submission = draft_or_404(request, pathway, token)
    if not submission.is_draft:
        return sent_redirect(pathway, submission)
    ctx = form_context(request, submission)
    incomplete = first_incomplete_step(pathway, ctx, submission.steps_done)
    if incomplete is not None:
        return redirect(step_url(pathway, submission, incomplete))
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
                base_url=base_url_of(request),
                reasons=reasons,
            )
        except services.SubmissionRefused as refused:
            # A refused form says why at the top (GOV.UK error summary), each error linking to
            # its question (issue 10 item 16).
            errors = _invalid_errors(pathway, submission, refused.invalid) + [
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
            return sent_redirect(pathway, sent)
    ctx = ctx.with_answers({**ctx.answers, REASONS_KEY: reasons})
    results = evaluate_requirements(pathway, ctx)
    if not errors:  # what blocks it is said at the top, not only beside the button
        errors = [
            (r.requirement.failure, f"#condition-{r.requirement.id}") for r in results if r.blocks
        ]
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
            "back_url": step_url(pathway, submission, _last_step(pathway, ctx)),
        },
    )


def _invalid_errors(
    pathway: Pathway, submission: Submission, invalid: StepResult
) -> list[tuple[str, str]]:
    """Each answer the sending refused, linking to its question's page."""
    found = []
    for message, anchor in invalid.error_list():
        name = anchor.removeprefix("#id_").split("-")[0]
        step = next((s for s in pathway.steps if any(f.name == name for f in s.fields)), None)
        href = f"{step_url(pathway, submission, step)}?change=1{anchor}" if step else anchor
        found.append((message, href))
    return found


def _last_step(pathway: Pathway, ctx: Context) -> Step | None:
    steps = visible_steps(pathway, ctx)
    return steps[-1] if steps else None


@require_http_methods(["GET"])
def confirmation(request: HttpRequest, slug: str, token: Any) -> HttpResponse:
    pathway = pathway_or_404(slug)
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
        submission = draft_or_404(request, pathway, token)
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
    pathway = pathway_or_404(slug)
    submission = draft_or_404(request, pathway, token)
    if not submission.is_draft:
        return sent_redirect(pathway, submission)
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
