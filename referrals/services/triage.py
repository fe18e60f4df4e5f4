"""The officer's work on a sent submission: accept, close, reopen, allocate, note."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from kpas.base.audit import audit_record
from kpas.base.models import User
from referrals import errors, events, status_emails
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
def submission_triage(
    *, actor: User, submission: Submission, note: str = "", base_url: str = ""
) -> Submission:
    locked = _move(submission, Status.TRIAGED)
    if locked.allocated_officer_id is None:
        locked.allocated_officer = actor
        events.allocated_event(locked, actor=actor, officer=actor)
    locked.save(update_fields=["status", "closed_at", "allocated_officer", "updated_at"])
    event = events.triaged_event(locked, actor=actor, note=note)
    audit_record(actor=actor, action="referral.triaged", obj=locked)
    status_emails.school_status_email(
        submission=locked, what="accepted", event=event, base_url=base_url
    )
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
    base_url: str = "",
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
    event = events.closed_event(locked, actor=actor, outcome=locked.outcome)
    status_emails.school_status_email(
        submission=locked, what="closed", event=event, base_url=base_url
    )
    audit_record(
        actor=actor,
        action="referral.closed",
        obj=locked,
        detail={"closing_outcome": closing_outcome} if closing_outcome else None,
    )
    return locked


@transaction.atomic
def submission_reopen(*, actor: User, submission: Submission, note: str = "") -> Submission:
    locked = _move(submission, Status.TRIAGED)
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    events.reopened_event(locked, actor=actor, note=note)
    audit_record(actor=actor, action="referral.reopened", obj=locked)
    return locked


@transaction.atomic
def submission_allocate(
    *, actor: User, submission: Submission, officer: User, base_url: str = ""
) -> Submission:
    if not officer.is_authority_staff or not officer.is_active:
        raise ValueError("Allocate to an active member of the authority's staff.")
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status not in (Status.SUBMITTED, Status.TRIAGED):
        raise ValueError("Only an open submission can be allocated.")
    locked.allocated_officer = officer
    locked.save(update_fields=["allocated_officer", "updated_at"])
    event = events.allocated_event(locked, actor=actor, officer=officer)
    audit_record(
        actor=actor, action="referral.allocated", obj=locked, detail={"officer": officer.pk}
    )
    status_emails.school_status_email(
        submission=locked, what="allocated", event=event, base_url=base_url
    )
    if officer.pk != actor.pk:  # an officer taking work themselves needs no email
        status_emails.officer_allocated_email(
            submission=locked, officer=officer, event=event, base_url=base_url
        )
    return locked


@transaction.atomic
def submission_note_add(
    *, actor: User, submission: Submission, note: str, shared: bool = False
) -> Submission:
    """A note: internal unless the officer chose to share it with the school."""
    events.note_event(submission, actor=actor, note=note.strip(), shared=shared)
    audit_record(
        actor=actor, action="referral.note_added", obj=submission, detail={"shared": shared}
    )
    return submission


QUESTION_REQUIRED = "Enter your question for the school."
ANSWER_REQUIRED = "Enter your answer."
NOT_OPEN = "This submission is closed."


@transaction.atomic
def submission_question_ask(
    *, actor: User, submission: Submission, question: str, base_url: str = ""
) -> Submission:
    """Ask the school for more information: shown on the submission and emailed to it."""
    if not question.strip():
        raise ValueError(QUESTION_REQUIRED)
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status not in (Status.SUBMITTED, Status.TRIAGED):
        raise ValueError(NOT_OPEN)
    event = events.question_event(locked, actor=actor, question=question.strip())
    audit_record(actor=actor, action="referral.question_asked", obj=locked)
    status_emails.school_status_email(
        submission=locked, what="question", event=event, base_url=base_url
    )
    return locked


@transaction.atomic
def submission_question_answer(
    *, actor: User, submission: Submission, answer: str, base_url: str = ""
) -> Submission:
    """The school answers on the submission; the allocated officer is told by email."""
    if not answer.strip():
        raise ValueError(ANSWER_REQUIRED)
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status not in (Status.SUBMITTED, Status.TRIAGED):
        raise ValueError(NOT_OPEN)
    event = events.answer_event(locked, actor=actor, answer=answer.strip())
    audit_record(actor=actor, action="referral.question_answered", obj=locked)
    if locked.allocated_officer is not None:
        status_emails.officer_allocated_email(
            submission=locked,
            officer=locked.allocated_officer,
            event=event,
            base_url=base_url,
            answered=True,
        )
    return locked
