"""Sending: the reference, routing, timeline, audit and the emails stored in the outbox, all
in one transaction; a double submit or an API retry makes one submission."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from kpas.base.audit import AuditAction, audit_record
from kpas.base.models import User
from referrals import events
from referrals.context import context_for
from referrals.emails import submission_emails_enqueue
from referrals.engine import (
    REASONS_KEY,
    evaluate_requirements,
    reason_errors,
    validate_answers,
)
from referrals.engine.context import Context
from referrals.engine.definitions import Pathway
from referrals.facts import register_snapshot
from referrals.handdown import hand_down
from referrals.models import ReferenceCounter, Submission
from referrals.pathways import pathway_of
from referrals.routing import route
from referrals.rules import Status, reference_format, transition_action
from referrals.services.base import (
    IdempotencyConflict,
    PathwayRefused,
    SubmissionRefused,
    acting_user,
    implied_school,
    pathway_refusal,
)
from referrals.services.drafts import denormalise
from returns.services import return_sent


# --- sending -----------------------------------------------------------------------------------
def reference_allocate(year: int) -> str:
    """The next number of the year's sequence, safely under concurrency: the UPDATE takes
    the counter row's lock until the transaction ends, so no two senders read the same
    number (PostgreSQL row lock; SQLite's database write lock)."""
    ReferenceCounter.objects.bulk_create([ReferenceCounter(year=year)], ignore_conflicts=True)
    ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    number = ReferenceCounter.objects.filter(year=year).values_list("last", flat=True).get()
    return reference_format(year, number)


RETURNS_PATHWAY_NUMBER = 3  # attendance and sickness returns (referrals/pathways/returns.py)


def _send(
    locked: Submission,
    *,
    actor: User | None,
    today: date,
    base_url: str,
    reasons: dict[str, str] | None,
) -> Submission:
    pathway = pathway_of(locked.pathway)
    user = acting_user(actor)
    answers = dict(locked.answers)
    if reasons is not None:
        answers[REASONS_KEY] = {k: v.strip() for k, v in reasons.items() if v and v.strip()}
    ctx: Context = context_for(locked, user=user, today=today, answers=answers)
    clean, found = validate_answers(pathway, answers, ctx)
    if not found.ok:
        raise SubmissionRefused(invalid=found)
    for key in ("_pupil_id",):
        if key in answers:
            clean[key] = answers[key]
    pupil = found.pupil or locked.pupil
    school = found.school or locked.school
    ctx = ctx.with_answers(clean, pupil=pupil, school=school)
    results = evaluate_requirements(pathway, ctx)
    blocked = [result for result in results if result.blocks]
    missing = reason_errors(results)
    if blocked or missing:
        raise SubmissionRefused(blocked=blocked, reasons_missing=missing, results=results)

    now = timezone.now()
    facts = ctx.facts
    destination = route(pathway, ctx)
    locked.answers = clean
    locked.pupil, locked.school = pupil, school
    locked.register_snapshot = register_snapshot(facts)
    if ctx.records_hidden:
        # A form sent without an account: the authority's records are checked now, for the
        # officer; the sender saw only neutral wording (issue 10 item 2).
        results = evaluate_requirements(pathway, ctx.as_authority())
    locked.conditions = [result.as_json() for result in results]
    transition_action(locked.status, Status.SUBMITTED)
    locked.status = Status.SUBMITTED
    locked.reference = reference_allocate(timezone.localtime(now).year)
    locked.submitted_at = now
    locked.team = destination.team
    locked.allocated_officer = destination.officer
    locked.routing_reasons = destination.reasons
    denormalise(locked, clean, pathway)
    if user is not None:
        locked.submitter_email, locked.submitter_name = user.email, user.full_name
    locked.save()
    locked.copied_teams.set(destination.copies)

    events.submitted_event(locked, actor=user)
    events.routed_event(
        locked, team=destination.team, copies=destination.copies, reasons=destination.reasons
    )
    if destination.officer is not None:
        events.allocated_event(locked, actor=None, officer=destination.officer)
    audit_record(
        actor=user,
        action=AuditAction.REFERRAL_SUBMITTED,
        obj=locked,
        detail={
            "reference": locked.reference,
            "pathway": pathway.slug,
            "team": destination.team.slug if destination.team else None,
        },
    )
    submission_emails_enqueue(submission=locked, base_url=base_url)
    if pathway.number == RETURNS_PATHWAY_NUMBER and school is not None:  # handed down to returns
        return_sent(
            school_id=school.pk,
            reference=locked.reference,
            sent_at=now,
            pupils=list(clean.get("pupils") or []),
        )
    hand_down(locked)  # a penalty notice request goes to the Courts Team's workspace
    return locked


@transaction.atomic
def submission_submit(
    *,
    actor: User | None,
    submission: Submission,
    today: date,
    base_url: str = "",
    reasons: dict[str, str] | None = None,
) -> Submission:
    """Send a draft. Sending twice (a double click, a resubmitted page) returns the one
    submission already sent: the draft's row is locked and its state checked first."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status != Status.DRAFT:
        return locked
    return _send(locked, actor=actor, today=today, base_url=base_url, reasons=reasons)


def submission_create(
    *,
    actor: User,
    pathway: Pathway,
    answers: dict[str, Any],
    today: date,
    idempotency_key: uuid.UUID | None = None,
    base_url: str = "",
) -> tuple[Submission, bool]:
    """Validate and send in one go (the API). Returns (submission, created). The same
    idempotency key from the same user returns the first submission, not a second."""
    refusal = pathway_refusal(actor, pathway)
    if refusal:
        raise PathwayRefused(refusal)
    key = idempotency_key or uuid.uuid4()
    existing = Submission.objects.filter(token=key).first()
    if existing is not None:
        return _replay(existing, actor, pathway)
    school = implied_school(actor)
    given = dict(answers)
    if school is not None:
        given.setdefault("school_urn", school.urn)
    try:
        with transaction.atomic():
            draft = Submission.objects.create(
                token=key,
                pathway=pathway.slug,
                source=Submission.Source.API,
                submitter=actor,
                submitter_name=actor.full_name,
                submitter_email=actor.email,
                answers=given,
                school=school,
            )
            reasons = given.get(REASONS_KEY) if isinstance(given.get(REASONS_KEY), dict) else None
            sent = _send(draft, actor=actor, today=today, base_url=base_url, reasons=reasons)
    except IntegrityError:
        existing = Submission.objects.filter(token=key).first()
        if existing is None:
            raise
        return _replay(existing, actor, pathway)
    return sent, True


def _replay(existing: Submission, actor: User, pathway: Pathway) -> tuple[Submission, bool]:
    if existing.submitter_id != actor.pk or existing.pathway != pathway.slug:
        raise IdempotencyConflict("This idempotency key was used for another submission.")
    return existing, False
