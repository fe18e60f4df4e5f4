"""The officer's work on a sent submission: accept, close, reopen, allocate, note."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from kpas.base.audit import AuditAction, audit_record
from kpas.base.models import User
from referrals import errors, events
from referrals.models import Submission
from referrals.pathway_names import PathwayName
from referrals.rules import ClosingOutcome, Status, transition_action


# --- the officer's work -------------------------------------------------------------------------
def _move(submission: Submission, target: str) -> Submission:
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    transition_action(locked.status, target)  # IllegalTransition when not allowed
    locked.status = target
    locked.closed_at = timezone.now() if target == Status.CLOSED else None
    return locked


@transaction.atomic
def submission_triage(*, actor: User, submission: Submission, note: str = "") -> Submission:
    locked = _move(submission, Status.TRIAGED)
    if locked.allocated_officer_id is None:
        locked.allocated_officer = actor
        events.allocated_event(locked, actor=actor, officer=actor)
    locked.save(update_fields=["status", "closed_at", "allocated_officer", "updated_at"])
    events.triaged_event(locked, actor=actor, note=note)
    audit_record(actor=actor, action=AuditAction.REFERRAL_TRIAGED, obj=locked)
    return locked


class CloseRefused(ValueError):
    """The closing outcome does not fit the submission (the message says why)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@transaction.atomic
def submission_close(
    *,
    actor: User,
    submission: Submission,
    outcome: str,
    closing_outcome: str = "",
    deletion_advised_on: date | None = None,
    today: date | None = None,
) -> Submission:
    """Close with the officer's outcome. A CME notification may be closed as "enquiries
    complete, deletion advised" with the date the authority confirmed it: the record the
    deletion grounds 1(h), 1(i) and 3(c) need (KSAH §22-23; DOMAIN §9)."""
    if closing_outcome:
        if closing_outcome not in ClosingOutcome.values:
            raise CloseRefused(errors.CLOSING_OUTCOME_UNKNOWN, "closing_outcome")
        if submission.pathway != PathwayName.CME:
            raise CloseRefused(errors.CLOSING_OUTCOME_CME_ONLY, "closing_outcome")
        if deletion_advised_on is None:
            raise CloseRefused(errors.DELETION_ADVISED_DATE_REQUIRED, "deletion_advised_on")
        if deletion_advised_on > (today or timezone.localdate()):
            raise CloseRefused(errors.DELETION_ADVISED_DATE_FUTURE, "deletion_advised_on")
    locked = _move(submission, Status.CLOSED)
    locked.outcome = outcome.strip()
    locked.closing_outcome = closing_outcome
    locked.deletion_advised_on = deletion_advised_on if closing_outcome else None
    locked.save(
        update_fields=[
            "status",
            "closed_at",
            "outcome",
            "closing_outcome",
            "deletion_advised_on",
            "updated_at",
        ]
    )
    events.closed_event(locked, actor=actor, outcome=locked.outcome)
    audit_record(
        actor=actor,
        action=AuditAction.REFERRAL_CLOSED,
        obj=locked,
        detail={"closing_outcome": closing_outcome} if closing_outcome else None,
    )
    return locked


@transaction.atomic
def submission_reopen(*, actor: User, submission: Submission, note: str = "") -> Submission:
    locked = _move(submission, Status.TRIAGED)
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    events.reopened_event(locked, actor=actor, note=note)
    audit_record(actor=actor, action=AuditAction.REFERRAL_REOPENED, obj=locked)
    return locked


@transaction.atomic
def submission_allocate(*, actor: User, submission: Submission, officer: User) -> Submission:
    if not officer.is_authority_staff or not officer.is_active:
        raise ValueError("Allocate to an active member of the authority's staff.")
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status not in (Status.SUBMITTED, Status.TRIAGED):
        raise ValueError("Only an open submission can be allocated.")
    locked.allocated_officer = officer
    locked.save(update_fields=["allocated_officer", "updated_at"])
    events.allocated_event(locked, actor=actor, officer=officer)
    audit_record(
        actor=actor,
        action=AuditAction.REFERRAL_ALLOCATED,
        obj=locked,
        detail={"officer": officer.pk},
    )
    return locked


@transaction.atomic
def submission_note_add(*, actor: User, submission: Submission, note: str) -> Submission:
    events.note_event(submission, actor=actor, note=note.strip())
    audit_record(actor=actor, action=AuditAction.REFERRAL_NOTE_ADDED, obj=submission)
    return submission
