"""Writes of the Digital Front Door (STYLE habit 4): start and save a draft, attach
evidence, send (with its reference, routing, timeline and emails), and the officer's
triage. Each is atomic, checks the current state, writes timeline and audit rows and sends
email only once committed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO, Any

from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from kpas.base.audit import audit_record
from kpas.base.models import User
from referrals import errors, events
from referrals.context import context_for
from referrals.emails import submission_emails_enqueue
from referrals.engine import (
    REASONS_KEY,
    RequirementResult,
    StepResult,
    evaluate_requirements,
    prefill_values,
    reason_errors,
    validate_answers,
)
from referrals.engine.context import Context
from referrals.engine.definitions import Audience, Kind, Pathway, Step, Subject
from referrals.facts import register_snapshot
from referrals.models import Evidence, ReferenceCounter, Submission
from referrals.pathways import pathway_of
from referrals.routing import route
from referrals.rules import Status, reference_format, transition_action
from referrals.uploads import MAX_FILES_PER_SUBMISSION, UploadRejected, check_upload
from schools.selectors import school_list_for

ANONYMOUS_DRAFT_DAYS = 7  # a draft without an account lives as long as its session
ACCOUNT_DRAFT_DAYS = 90


# --- errors callers handle -------------------------------------------------------------------
class PathwayRefused(PermissionError):
    """This user may not use this pathway (the message says why)."""


class AlreadySent(ValueError):
    def __init__(self, submission: Submission) -> None:
        super().__init__(errors.ALREADY_SUBMITTED)
        self.submission = submission


@dataclass
class SubmissionRefused(ValueError):
    """The answers do not pass, a condition blocks it, or reasons are missing."""

    invalid: StepResult = field(default_factory=StepResult)
    blocked: list[RequirementResult] = field(default_factory=list)
    reasons_missing: dict[str, str] = field(default_factory=dict)
    results: list[RequirementResult] = field(default_factory=list)

    def __str__(self) -> str:
        if self.blocked:
            return errors.CANNOT_SUBMIT_BLOCKED.format(
                reasons="; ".join(r.requirement.failure for r in self.blocked)
            )
        if self.reasons_missing:
            return "; ".join(self.reasons_missing.values())
        return errors.CANNOT_SUBMIT_INVALID


class IdempotencyConflict(ValueError):
    """An idempotency key already used by someone else."""


# --- who may use a pathway ---------------------------------------------------------------------
def pathway_refusal(user: User | None, pathway: Pathway) -> str | None:
    """Why this user cannot use the pathway, or None when they can."""
    if user is None or not user.is_authenticated:
        return None if Audience.ANONYMOUS in pathway.audiences else errors.PATHWAY_NEEDS_ACCOUNT
    if user.is_school_staff:
        allowed = Audience.SCHOOL_STAFF in pathway.audiences
    else:
        allowed = Audience.AUTHORITY_STAFF in pathway.audiences
    if not allowed or (pathway.roles and user.role not in pathway.roles):
        return errors.PATHWAY_NOT_FOR_YOU
    return None


def _actor(user: User | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


def _implied_school(actor: User | None) -> Any:
    """A member of one school's staff need not say which school."""
    if actor is None or not actor.is_school_staff:
        return None
    schools = list(school_list_for(actor)[:2])
    return schools[0] if len(schools) == 1 else None


# --- drafts ----------------------------------------------------------------------------------
@transaction.atomic
def submission_start(*, actor: User | None, pathway: Pathway) -> Submission:
    """A new draft; with no account the caller keeps its token in the browser session."""
    user = _actor(actor)
    refusal = pathway_refusal(user, pathway)
    if refusal:
        raise PathwayRefused(refusal)
    school = _implied_school(user)
    submission = Submission.objects.create(
        pathway=pathway.slug,
        submitter=user,
        submitter_name=user.full_name if user else "",
        submitter_email=user.email if user else "",
        school=school,
        answers={"school_urn": school.urn} if school is not None else {},
    )
    audit_record(
        actor=user,
        action="referral.draft_started",
        obj=submission,
        detail={"pathway": pathway.slug},
    )
    return submission


def _denormalise(submission: Submission, answers: dict[str, Any], pathway: Pathway) -> None:
    if pathway.subject == Subject.PUPILS:
        count = len(answers.get("pupils") or [])
        submission.pupil_upn = ""
        submission.pupil_name = f"{count} pupil{'s' if count != 1 else ''}" if count else ""
    else:
        submission.pupil_upn = str(answers.get("upn") or "")[:13]
        name = " ".join(str(answers.get(k) or "") for k in ("pupil_forename", "pupil_surname"))
        submission.pupil_name = name.strip()[:200]
    if submission.submitter_id is None:
        submission.submitter_name = str(answers.get("referrer_name") or "")[:150]
        submission.submitter_email = str(answers.get("referrer_email") or "")[:254]


@transaction.atomic
def submission_draft_save(
    *, actor: User | None, submission: Submission, step: Step, result: StepResult, today: date
) -> Submission:
    """Keep one page's answers (already checked by the engine) and what follows from them:
    the pupil and school chosen, answers pre-filled from the register, derived answers."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status != Status.DRAFT:
        raise AlreadySent(locked)
    pathway = pathway_of(locked.pathway)
    answers = dict(locked.answers)
    for item in step.fields:  # a question hidden by this page's answers loses its answer
        if item.name not in result.values:
            answers.pop(item.name, None)
    answers.update(result.values)
    pupil_changed = False
    if any(item.kind == Kind.PUPIL for item in step.fields):
        new_pupil = result.pupil
        pupil_changed = (new_pupil.pk if new_pupil else None) != locked.pupil_id
        locked.pupil = new_pupil
    if result.school is not None:
        locked.school = result.school
    user = _actor(actor)
    ctx = context_for(locked, user=user, today=today, answers=answers)
    answers.update(prefill_values(pathway, ctx, overwrite=pupil_changed))
    if step.on_save is not None:
        answers.update(step.on_save(ctx.with_answers(answers), result.values))
    locked.answers = answers
    if step.slug not in locked.steps_done:
        locked.steps_done = [*locked.steps_done, step.slug]
    _denormalise(locked, answers, pathway)
    locked.save()
    return locked


@transaction.atomic
def submission_draft_delete(*, actor: User | None, submission: Submission) -> None:
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status != Status.DRAFT:
        raise AlreadySent(locked)
    for evidence in locked.evidence.all():
        evidence.file.delete(save=False)
    audit_record(
        actor=_actor(actor),
        action="referral.draft_deleted",
        obj=locked,
        detail={"pathway": locked.pathway},
    )
    locked.delete()


# --- evidence --------------------------------------------------------------------------------
@transaction.atomic
def evidence_attach(
    *, actor: User | None, submission: Submission, stream: IO[bytes], size: int, name: str
) -> Evidence:
    """Keep an uploaded file with a draft, after checking its real type and size."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status != Status.DRAFT:
        raise AlreadySent(locked)
    if locked.evidence.count() >= MAX_FILES_PER_SUBMISSION:
        raise UploadRejected(errors.EVIDENCE_TOO_MANY.format(limit=MAX_FILES_PER_SUBMISSION))
    checked = check_upload(stream, size)
    evidence = Evidence(
        submission=locked,
        original_name=(name or "file")[-255:],
        content_type=checked.file_type.content_type,
        extension=checked.file_type.extension,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=_actor(actor),
    )
    evidence.file.save("upload", File(stream), save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    audit_record(
        actor=_actor(actor),
        action="referral.evidence_added",
        obj=locked,
        detail={"evidence": evidence.pk, "type": checked.file_type.content_type},
    )
    return evidence


@transaction.atomic
def evidence_remove(*, actor: User | None, evidence: Evidence) -> None:
    submission = Submission.objects.select_for_update().get(pk=evidence.submission_id)
    if submission.status != Status.DRAFT:
        raise AlreadySent(submission)
    evidence.file.delete(save=False)
    evidence.delete()


# --- sending -----------------------------------------------------------------------------------
def _reference_allocate(year: int) -> str:
    """The next number of the year's sequence, safely under concurrency: the UPDATE takes
    the counter row's lock until the transaction ends, so no two senders read the same
    number (PostgreSQL row lock; SQLite's database write lock)."""
    ReferenceCounter.objects.bulk_create([ReferenceCounter(year=year)], ignore_conflicts=True)
    ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    number = ReferenceCounter.objects.filter(year=year).values_list("last", flat=True).get()
    return reference_format(year, number)


def _send(
    locked: Submission,
    *,
    actor: User | None,
    today: date,
    base_url: str,
    reasons: dict[str, str] | None,
) -> Submission:
    pathway = pathway_of(locked.pathway)
    user = _actor(actor)
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
    locked.conditions = [result.as_json() for result in results]
    transition_action(locked.status, Status.SUBMITTED)
    locked.status = Status.SUBMITTED
    locked.reference = _reference_allocate(timezone.localtime(now).year)
    locked.submitted_at = now
    locked.team = destination.team
    locked.allocated_officer = destination.officer
    locked.routing_reasons = destination.reasons
    _denormalise(locked, clean, pathway)
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
        action="referral.submitted",
        obj=locked,
        detail={
            "reference": locked.reference,
            "pathway": pathway.slug,
            "team": destination.team.slug if destination.team else None,
        },
    )
    submission_emails_enqueue(submission=locked, base_url=base_url)
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
    school = _implied_school(actor)
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
    audit_record(actor=actor, action="referral.triaged", obj=locked)
    return locked


@transaction.atomic
def submission_close(*, actor: User, submission: Submission, outcome: str) -> Submission:
    locked = _move(submission, Status.CLOSED)
    locked.outcome = outcome.strip()
    locked.save(update_fields=["status", "closed_at", "outcome", "updated_at"])
    events.closed_event(locked, actor=actor, outcome=locked.outcome)
    audit_record(actor=actor, action="referral.closed", obj=locked)
    return locked


@transaction.atomic
def submission_reopen(*, actor: User, submission: Submission, note: str = "") -> Submission:
    locked = _move(submission, Status.TRIAGED)
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    events.reopened_event(locked, actor=actor, note=note)
    audit_record(actor=actor, action="referral.reopened", obj=locked)
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
        actor=actor, action="referral.allocated", obj=locked, detail={"officer": officer.pk}
    )
    return locked


@transaction.atomic
def submission_note_add(*, actor: User, submission: Submission, note: str) -> Submission:
    events.note_event(submission, actor=actor, note=note.strip())
    audit_record(actor=actor, action="referral.note_added", obj=submission)
    return submission


def drafts_purge(
    *,
    now: datetime,
    anonymous_days: int = ANONYMOUS_DRAFT_DAYS,
    account_days: int = ACCOUNT_DRAFT_DAYS,
) -> int:
    """Delete drafts nobody has touched for a while, with their files: a browser session's
    after a week (the session has gone), an account's after 90 days. Returns how many."""
    stale = Submission.objects.filter(status=Status.DRAFT).filter(
        Q(submitter__isnull=True, updated_at__lt=now - timedelta(days=anonymous_days))
        | Q(submitter__isnull=False, updated_at__lt=now - timedelta(days=account_days))
    )
    count = 0
    for submission in stale.iterator():
        for evidence in submission.evidence.all():
            evidence.file.delete(save=False)
        submission.delete()
        count += 1
    return count
