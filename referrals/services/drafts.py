"""Drafts: start, save a page, delete, and purge the stale ones."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q

from kpas.base.audit import AuditAction, audit_record
from kpas.base.models import User
from referrals.context import context_for
from referrals.engine import (
    StepResult,
    prefill_values,
)
from referrals.engine.definitions import Kind, Pathway, Step, Subject
from referrals.models import Submission
from referrals.pathways import pathway_of
from referrals.rules import Status
from referrals.services.base import (
    AlreadySent,
    PathwayRefused,
    acting_user,
    implied_school,
    pathway_refusal,
)

ANONYMOUS_DRAFT_DAYS = 7  # a draft without an account lives as long as its session
ACCOUNT_DRAFT_DAYS = 90


# --- drafts ----------------------------------------------------------------------------------
@transaction.atomic
def submission_start(*, actor: User | None, pathway: Pathway, upn: str = "") -> Submission:
    """A new draft; with no account the caller keeps its token in the browser session.
    `upn` pre-fills the pupil question ("Send a form about this pupil", issue 14)."""
    user = acting_user(actor)
    refusal = pathway_refusal(user, pathway)
    if refusal:
        raise PathwayRefused(refusal)
    school = implied_school(user)
    submission = Submission.objects.create(
        pathway=pathway.slug,
        submitter=user,
        submitter_name=user.full_name if user else "",
        submitter_email=user.email if user else "",
        school=school,
        answers={
            **({"school_urn": school.urn} if school is not None else {}),
            **(
                {"upn": upn.strip().upper()[:13]}
                if upn and pathway.subject == Subject.PUPIL
                else {}
            ),
        },
    )
    audit_record(
        actor=user,
        action=AuditAction.REFERRAL_DRAFT_STARTED,
        obj=submission,
        detail={"pathway": pathway.slug},
    )
    return submission


def denormalise(submission: Submission, answers: dict[str, Any], pathway: Pathway) -> None:
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
    user = acting_user(actor)
    ctx = context_for(locked, user=user, today=today, answers=answers)
    answers.update(prefill_values(pathway, ctx, overwrite=pupil_changed))
    if step.on_save is not None:
        answers.update(step.on_save(ctx.with_answers(answers), result.values))
    locked.answers = answers
    if step.slug not in locked.steps_done:
        locked.steps_done = [*locked.steps_done, step.slug]
    denormalise(locked, answers, pathway)
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
        actor=acting_user(actor),
        action=AuditAction.REFERRAL_DRAFT_DELETED,
        obj=locked,
        detail={"pathway": locked.pathway},
    )
    locked.delete()


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


def submission_step_done(*, submission: Submission, step_slug: str) -> None:
    """Record that a draft's step is complete (an evidence step has nothing else to save)."""
    if step_slug in submission.steps_done:
        return
    submission.steps_done = [*submission.steps_done, step_slug]
    submission.save(update_fields=["steps_done", "updated_at"])
