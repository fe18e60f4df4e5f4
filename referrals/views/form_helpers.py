"""What the form pages share: who is filling in, this browser's drafts, finding a pathway
and a draft (out of reach is not found), and the pages' addresses."""

from __future__ import annotations

from typing import Any

from django.http import (
    Http404,
    HttpRequest,
    HttpResponseRedirect,
)
from django.shortcuts import redirect
from django.urls import reverse

from kpas.base.models import User
from referrals import clock, selectors
from referrals.context import context_for
from referrals.engine.context import Context
from referrals.engine.definitions import Pathway, Step
from referrals.models import Submission
from referrals.pathways import pathway_get

SESSION_DRAFTS = "dfd_drafts"  # tokens of forms this browser started without an account
SESSION_SENT = "dfd_sent"


# --- helpers ---------------------------------------------------------------------------------
def request_user(request: HttpRequest) -> User | None:
    user = request.user
    return user if user.is_authenticated else None  # type: ignore[return-value]


def session_tokens(request: HttpRequest) -> list[str]:
    return list(request.session.get(SESSION_DRAFTS, []))


def remember_draft(request: HttpRequest, token: str) -> None:
    tokens = session_tokens(request)
    if token not in tokens:
        request.session[SESSION_DRAFTS] = [*tokens[-19:], token]


def pathway_or_404(slug: str) -> Pathway:
    pathway = pathway_get(slug)
    if pathway is None:
        raise Http404("No such form.")
    return pathway


def draft_or_404(request: HttpRequest, pathway: Pathway, token: Any) -> Submission:
    submission = selectors.draft_get_for(request_user(request), token, session_tokens(request))
    if submission.pathway != pathway.slug:
        raise Http404("No such form.")
    return submission


def base_url_of(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def step_url(pathway: Pathway, submission: Submission, step: Step | None) -> str:
    if step is None:
        return reverse("referrals:check", args=[pathway.slug, submission.token])
    return reverse("referrals:step", args=[pathway.slug, submission.token, step.slug])


def form_context(request: HttpRequest, submission: Submission) -> Context:
    return context_for(submission, user=request_user(request), today=clock.today())


def sent_redirect(pathway: Pathway, submission: Submission) -> HttpResponseRedirect:
    return redirect("referrals:confirmation", pathway.slug, submission.token)
