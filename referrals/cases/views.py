"""Case pages: a case with its timeline and the moves its machine allows now; the officer's
caseload; the area manager's balance of work. Writes go through referrals.cases.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from kpas.base.audit import AuditAction, audit_record
from kpas.base.models import User
from kpas.base.roles import Role
from referrals import clock
from referrals.cases import documents, selectors, services
from referrals.cases.forms import NoteForm, transition_form
from referrals.cases.machines import MACHINES, machine_for
from referrals.cases.models import Case
from referrals.cases.rules import CaseKind, CaseRefused


def _page(
    request: HttpRequest, user: User, case: Case, *, error: str = "", status: int = 200
) -> HttpResponse:
    machine = machine_for(case.kind)
    workable = selectors.case_workable(user, case)
    moves = machine.allowed(case.status) if workable else []
    return render(
        request,
        "cases/case.html",
        {
            "case": case,
            "machine": machine,
            "status_label": machine.label(case.status),
            "events": selectors.timeline_for(user, case),
            "workable": workable,
            "moves": [(t, transition_form(t)) for t in moves],
            "note_form": NoteForm(),
            "closure_proposed": workable
            and services.case_closure_proposal(case=case, today=clock.today()),
            "clocks": case.data.get("clocks") or {},
            "officers": selectors.officer_choices_for(case) if workable else [],
            "error": error,
            "documents": [
                (kind, label)
                for kind, label in documents.AVAILABLE.items()
                if workable and documents.available(case, kind)
            ],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = selectors.case_get_for(user, pk)
    audit_record(actor=user, action=AuditAction.CASE_VIEWED, obj=case)
    return _page(request, user, case)


def _workable(request: HttpRequest, pk: int) -> tuple[User, Case]:
    user: User = request.user  # type: ignore[assignment]
    case = selectors.case_get_for(user, pk)
    if not selectors.case_workable(user, case):
        raise Http404("No such case.")
    return user, case


@login_required
@require_POST
def case_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user, case = _workable(request, pk)
    try:
        transition = machine_for(case.kind).transition(action)
    except CaseRefused:
        raise Http404("No such action.") from None
    form = transition_form(transition, request.POST)
    given = (
        form.cleaned_data
        if form.is_valid()
        else {k.split("-", 1)[1]: v for k, v in request.POST.items() if "-" in k}
    )
    try:
        services.case_transition(
            actor=user, case=case, action=action, given=dict(given), today=clock.today()
        )
    except CaseRefused as problem:
        return _page(request, user, case, error=str(problem), status=400)
    messages.success(request, transition.label)
    return redirect("cases:case", case.pk)


@login_required
@require_POST
def case_note(request: HttpRequest, pk: int) -> HttpResponse:
    user, case = _workable(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _page(request, user, case, error="Enter the note.", status=400)
    services.case_note_add(
        actor=user, case=case, text=form.cleaned_data["text"], shared=form.cleaned_data["shared"]
    )
    messages.success(
        request, "Shared note added" if form.cleaned_data["shared"] else "Internal note added"
    )
    return redirect("cases:case", case.pk)


@login_required
@require_POST
def case_reallocate(request: HttpRequest, pk: int) -> HttpResponse:
    user, case = _workable(request, pk)
    officer = (
        selectors.officer_choices_for(case).filter(pk=request.POST.get("officer") or 0).first()
    )
    if officer is None:
        return _page(request, user, case, error="Choose an officer.", status=400)
    try:
        services.case_allocate(actor=user, case=case, officer=officer)
    except CaseRefused as problem:
        return _page(request, user, case, error=str(problem), status=400)
    messages.success(request, f"Allocated to {officer.full_name}")
    return redirect(
        request.POST.get("next") or "cases:case", *([] if request.POST.get("next") else [case.pk])
    )


@login_required
@require_POST
def case_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Ask for a warning letter or the court bundle; the worker renders it."""
    user, case = _workable(request, pk)
    if kind not in documents.AVAILABLE or not documents.available(case, kind):
        raise Http404("No such document.")
    document = documents.case_document_request(case=case, kind=kind, requested_by=user)
    services.case_document_event(actor=user, case=case, document=document)
    return redirect("documents:progress", public_id=document.public_id)


@login_required
@require_http_methods(["GET"])
def caseload(request: HttpRequest) -> HttpResponse:
    """'My caseload' (an area manager may look at any of the area's officers)."""
    user: User = request.user  # type: ignore[assignment]
    if not user.is_authority_staff:
        raise Http404("No such page.")
    balance = list(selectors.balance_for(user))
    officer: User | None = user
    if user.role == Role.AREA_MANAGER:
        chosen = request.GET.get("officer", "")
        officer = next((o for o in balance if str(o.pk) == chosen), None)
    items = selectors.caseload_for(
        user,
        officer=officer,
        kind=request.GET.get("kind", ""),
        status=request.GET.get("status", ""),
        search=request.GET.get("q", ""),
        due=request.GET.get("due", ""),
        today=clock.today(),
    )
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/caseload.html",
        {
            "page": page,
            "today": clock.today(),
            "kinds": CaseKind.choices,
            "labels": {kind: dict(m.states) for kind, m in MACHINES.items()},
            "balance": balance,
            "officer": officer,
            "area_manager": user.role == Role.AREA_MANAGER,
            "filters": request.GET,
        },
    )
