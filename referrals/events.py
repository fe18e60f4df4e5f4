"""Timeline rows: one function per event type (STYLE: Saleor's events.py)."""

from __future__ import annotations

from typing import Any

from kpas.base.models import Team, User
from referrals.models import Evidence, Submission, SubmissionEvent

Kind = SubmissionEvent.Kind


def _event(
    submission: Submission,
    kind: str,
    *,
    actor: User | None,
    message: str = "",
    detail: dict[str, Any] | None = None,
    shared: bool = False,
) -> SubmissionEvent:
    return SubmissionEvent.objects.create(
        submission=submission,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        message=message,
        detail=detail or {},
        shared=shared,
    )


def submitted_event(submission: Submission, *, actor: User | None) -> SubmissionEvent:
    who = (
        actor.full_name
        if actor is not None and actor.is_authenticated
        else (f"{submission.submitter_name} (without an account)")
    )
    return _event(
        submission,
        Kind.SUBMITTED,
        actor=actor,
        message=f"{submission.pathway_title} sent by {who}",
        detail={"source": submission.source},
    )


def routed_event(
    submission: Submission, *, team: Team | None, copies: list[Team], reasons: list[str]
) -> SubmissionEvent:
    if team is None:
        message = "No team is configured to receive this: a service administrator will route it"
    else:
        message = f"Routed to {team.name}"
    if copies:
        message += "; copied to " + ", ".join(t.name for t in copies)
    return _event(
        submission,
        Kind.ROUTED,
        actor=None,
        message=message,
        detail={
            "team": team.slug if team else None,
            "copies": [t.slug for t in copies],
            "reasons": reasons,
        },
    )


def allocated_event(
    submission: Submission, *, actor: User | None, officer: User
) -> SubmissionEvent:
    return _event(
        submission,
        Kind.ALLOCATED,
        actor=actor,
        message=f"Allocated to {officer.full_name}",
        detail={"officer": officer.pk},
    )


def triaged_event(submission: Submission, *, actor: User, note: str) -> SubmissionEvent:
    return _event(submission, Kind.TRIAGED, actor=actor, message=note or "Accepted")


def closed_event(submission: Submission, *, actor: User, outcome: str) -> SubmissionEvent:
    return _event(submission, Kind.CLOSED, actor=actor, message=outcome)


def reopened_event(submission: Submission, *, actor: User, note: str) -> SubmissionEvent:
    return _event(submission, Kind.REOPENED, actor=actor, message=note or "Reopened")


def note_event(
    submission: Submission, *, actor: User, note: str, shared: bool = False
) -> SubmissionEvent:
    return _event(submission, Kind.NOTE, actor=actor, message=note, shared=shared)


def question_event(submission: Submission, *, actor: User, question: str) -> SubmissionEvent:
    return _event(submission, Kind.QUESTION, actor=actor, message=question, shared=True)


def answer_event(submission: Submission, *, actor: User, answer: str) -> SubmissionEvent:
    return _event(submission, Kind.ANSWER, actor=actor, message=answer, shared=True)


def evidence_added_event(
    submission: Submission, *, actor: User | None, evidence: Evidence
) -> SubmissionEvent:
    return _event(
        submission,
        Kind.EVIDENCE_ADDED,
        actor=actor,
        message=f"Evidence added: {evidence.original_name}",
        detail={"evidence": evidence.pk},
    )


def email_queued_event(submission: Submission, *, to: list[str], purpose: str) -> SubmissionEvent:
    """Recorded when the email is stored in the outbox; the outbox's row says when it left."""
    return _event(
        submission,
        Kind.EMAIL_QUEUED,
        actor=None,
        message=f"Email queued to {', '.join(to)} ({purpose})",
        detail={"to": to, "purpose": purpose},
    )
