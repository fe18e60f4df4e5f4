"""Writes for the Courts Team's work: requests handed down by the Digital Front Door, the
decision per parent (issue, refuse, route), and issuing a notice with its letter.

Each service is atomic, locks the row it changes, checks its state first (a second click
returns what the first did), writes a timeline event and an audit row, and queues side
effects (the letter's render) on commit through the documents pipeline.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Final

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kpas.base.audit import AuditAction, audit_record
from kpas.base.errors import ApplicationError, Conflict
from kpas.base.models import User
from penalties.decision import penalty_decision
from penalties.models import NoticeEvent, NoticeIssue, PenaltyNotice, PenaltyRequest, RequestParent
from penalties.selectors import penalty_facts
from penalties.vocabulary import Case, Delivery, NoticeStatus, Reason

# The front door's scenario names -> the rule's cases (referrals/pathways/penalty_notice).
SCENARIO_CASES: Final = {
    "leave": Case.LEAVE,
    "unauthorised": Case.UNAUTHORISED,
    "public_place": Case.EXCLUSION,
}
NOT_ELIGIBLE: Final = "This parent cannot be issued a notice on {on}: {reasons}."
NO_PARENT_RECORD: Final = (
    "This parent is not matched to a parent of the pupil with an authority reference."
)
DECIDED: Final = "A decision has already been made for this parent."
REASON_REQUIRED: Final = "Enter the reason the school will see."
NOT_AT_LIMIT: Final = "Only a parent at the escalation limit is routed to other legal intervention."


def notice_event(
    notice: PenaltyNotice, *, kind: str, message: str, actor: User | None, **detail: Any
) -> NoticeEvent:
    return NoticeEvent.objects.create(
        notice=notice,
        kind=kind,
        message=message,
        actor=actor if actor is not None and actor.is_authenticated else None,
        detail=detail,
    )


# --- the hand-down from the Digital Front Door ----------------------------------------------------
def _full_name(parent: Any) -> str:
    return " ".join(p for p in (parent.title, parent.forename, parent.surname) if p)


def _normal(name: str) -> str:
    return " ".join(name.lower().split())


@transaction.atomic
def penalty_request_receive(
    *,
    submission_reference: str,
    submission_id: int | None,
    pupil_id: int,
    school_id: int,
    scenario: str,
    parents: list[dict[str, Any]],
    leave_from: date | None = None,
    leave_to: date | None = None,
    seen_on: date | None = None,
    conditions: list[dict[str, Any]] | None = None,
    received_at: datetime | None = None,
) -> PenaltyRequest:
    """Store a request sent by a school (idempotent by the submission's reference). Each
    parent named is matched, by full name, to a parent linked to the pupil; an unmatched
    parent is kept by name and cannot be issued a notice until matched."""
    existing = PenaltyRequest.objects.filter(submission_reference=submission_reference).first()
    if existing is not None:
        return existing
    request = PenaltyRequest.objects.create(
        submission_reference=submission_reference,
        submission_id=submission_id,
        pupil_id=pupil_id,
        school_id=school_id,
        case=SCENARIO_CASES[scenario],
        leave_from=leave_from,
        leave_to=leave_to,
        seen_on=seen_on,
        conditions=conditions or [],
        received_at=received_at or timezone.now(),
    )
    from schools.models import Parent

    linked = {
        _normal(_full_name(p)): p for p in Parent.objects.filter(child_links__pupil_id=pupil_id)
    }
    RequestParent.objects.bulk_create(
        RequestParent(
            request=request,
            position=n,
            parent=linked.get(_normal(str(row.get("name", "")))),
            name=str(row.get("name", ""))[:150],
            address=str(row.get("address", "")),
            stated_previous_notices=str(row.get("previous_notices", ""))[:2],
        )
        for n, row in enumerate(parents, start=1)
    )
    audit_record(
        actor=None,
        action=AuditAction.PENALTY_REQUEST_RECEIVED,
        obj=request,
        detail={"reference": submission_reference, "case": request.case},
    )
    return request


# --- the Courts Team's decision per parent ------------------------------------------------------
def _lock_pending(request_parent: RequestParent) -> RequestParent:
    locked = (
        RequestParent.objects.select_for_update(of=("self",))
        .select_related("request", "request__pupil", "request__school", "parent")
        .get(pk=request_parent.pk)
    )
    return locked


def _decide(locked: RequestParent, *, actor: User, decision: str, reason: str, route: str) -> None:
    locked.decision = decision
    locked.reason = reason
    locked.route = route
    locked.decided_by = actor
    locked.decided_at = timezone.now()


@transaction.atomic
def request_parent_refuse(
    *, actor: User, request_parent: RequestParent, reason: str
) -> RequestParent:
    """Refuse a notice for this parent, with a reason the school sees."""
    if not reason.strip():
        raise ApplicationError(REASON_REQUIRED, code="reason-required")
    locked = _lock_pending(request_parent)
    if locked.decision != RequestParent.Decision.PENDING:
        raise Conflict(DECIDED)
    _decide(locked, actor=actor, decision=locked.Decision.REFUSED, reason=reason.strip(), route="")
    locked.save()
    audit_record(
        actor=actor,
        action=AuditAction.PENALTY_PARENT_REFUSED,
        obj=locked,
        detail={"request": locked.request.submission_reference, "reason": locked.reason},
    )
    return locked


def route_for(case: str) -> str:
    """No third notice within 3 years (DOMAIN §5): other legal intervention; for a third G
    leave case Kent prosecutes by the Single Justice Procedure (KSAH §15 iv)."""
    if case == Case.LEAVE:
        return RequestParent.Route.SJP
    return RequestParent.Route.OTHER_LEGAL


@transaction.atomic
def request_parent_route(*, actor: User, request_parent: RequestParent, on: date) -> RequestParent:
    """A parent at the escalation limit: routed instead of a third notice."""
    locked = _lock_pending(request_parent)
    if locked.decision != RequestParent.Decision.PENDING:
        raise Conflict(DECIDED)
    if locked.parent is None or not locked.parent.parent_ref:
        raise ApplicationError(NO_PARENT_RECORD, code="no-parent")
    request = locked.request
    decision = penalty_decision(
        penalty_facts(
            pupil=request.pupil,
            parent=locked.parent,
            case=request.case,
            on=on,
            seen_on=request.seen_on,
        )
    )
    if Reason.ESCALATION_LIMIT not in decision.reasons:
        raise ApplicationError(NOT_AT_LIMIT, code="not-at-limit")
    route = route_for(request.case)
    reason = str(RequestParent.Route(route).label)
    _decide(locked, actor=actor, decision=locked.Decision.ROUTED, reason=reason, route=route)
    locked.save()
    audit_record(
        actor=actor,
        action=AuditAction.PENALTY_PARENT_ROUTED,
        obj=locked,
        detail={"request": request.submission_reference, "route": route},
    )
    return locked


def notice_reference(request_parent: RequestParent, on: date) -> str:
    """One reference per parent on a request: issuing twice cannot make two notices."""
    return f"PN{on:%y}-{request_parent.pk:06d}"


@transaction.atomic
def request_parent_issue(
    *, actor: User, request_parent: RequestParent, on: date, delivery: str = Delivery.POST
) -> PenaltyNotice:
    """Issue this parent's notice on D = `on` (the day of posting or handing over), with the
    amounts and dates the rule gives, and queue its letter. A second call returns the notice
    the first made (the row is locked and its state checked first)."""
    locked = _lock_pending(request_parent)
    if locked.decision == RequestParent.Decision.ISSUED and locked.notice is not None:
        return locked.notice
    if locked.decision != RequestParent.Decision.PENDING:
        raise Conflict(DECIDED)
    if locked.parent is None or not locked.parent.parent_ref:
        raise ApplicationError(NO_PARENT_RECORD, code="no-parent")
    request = locked.request
    decision = penalty_decision(
        penalty_facts(
            pupil=request.pupil,
            parent=locked.parent,
            case=request.case,
            on=on,
            delivery=delivery,
            seen_on=request.seen_on,
        )
    )
    if not decision.eligible:
        reasons = ", ".join(str(r) for r in decision.reasons)
        raise ApplicationError(NOT_ELIGIBLE.format(on=on, reasons=reasons), code="not-eligible")
    notice = PenaltyNotice.objects.create(
        reference=notice_reference(locked, on),
        pupil=request.pupil,
        parent=locked.parent,
        case=request.case,
        issued_on=on,
        status=NoticeStatus.ISSUED,
        local_authority=settings.AUTHORITY_LA_CODE,
        source=PenaltyNotice.Source.ISSUED,
    )
    NoticeIssue.objects.create(
        notice=notice,
        school=request.school,
        notice_number=decision.notice_number,
        delivery=delivery,
        received_on=decision.deadlines["receipt"],
        reduced_amount=decision.amounts.get("reduced"),
        full_amount=decision.amounts["full"],
        reduced_by=decision.deadlines.get("reduced"),
        full_by=decision.deadlines["full"],
        threshold=decision.as_dict()["threshold"],
        issued_by=actor,
    )
    _decide(locked, actor=actor, decision=locked.Decision.ISSUED, reason="", route="")
    locked.notice = notice
    locked.save()
    notice_event(
        notice,
        kind="issued",
        message=f"Issued by {delivery}; deemed received {decision.deadlines['receipt']}.",
        actor=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.PENALTY_NOTICE_ISSUED,
        obj=notice,
        detail={"reference": notice.reference, "request": request.submission_reference},
    )
    from penalties.letters import notice_letter_request

    notice_letter_request(notice=notice, requested_by=actor)
    return notice
