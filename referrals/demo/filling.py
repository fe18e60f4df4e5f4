"""Filling a demo form a page at a time through the same engine and services as the web
form, and the school's answers and reasons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from kpas.base.models import User
from referrals import services
from referrals.context import context_for
from referrals.engine import (
    evaluate_requirements,
    prefill_values,
    read_step_json,
    step_after,
    validate_answers,
    visible_steps,
)
from referrals.engine.definitions import Pathway
from referrals.models import Submission
from referrals.pathways import pathway_get
from schools.models import Pupil, School
from schools.register_facts import RegisterFacts

DEMO_BASE_URL = "http://localhost:8000"  # the links in the demo's emails (runserver)

# An answer is a value, or a function of the answers so far (a list pre-filled from the
# register that the sender completes, such as each parent's earlier penalty notices).
Answers = dict[str, Any | Callable[[dict[str, Any]], Any]]

# What the school says when a condition it cannot meet asks for a reason.
REASONS = {
    "register-unauthorised": "The absences were authorised on medical evidence we now doubt.",
    "recent-unauthorised": "Attendance has fallen again since half term: we expect more "
    "unauthorised absence.",
    "no-recent-c2": "The part-time timetable ended last week; the pupil is expected full time.",
    "within-10-school-days": "Our enquiries took longer than 10 school days.",
    "home-visit": "Our family liaison officer is absent; we have asked the attendance "
    "officer to visit.",
    "risk-assessment": "The risk assessment is being completed with the family this week.",
}
DEFAULT_REASON = "Discussed with our linked attendance officer."


class DemoSubmissionRefused(RuntimeError):
    """A demo form did not pass the engine's checks: the demo data no longer fits it."""


@dataclass(frozen=True)
class OnRoll:
    pupil: Pupil
    facts: RegisterFacts


def pathway_named(slug: str) -> Pathway:
    pathway = pathway_get(slug)
    assert pathway is not None, slug
    return pathway


def by_attendance(candidates: list[OnRoll]) -> list[OnRoll]:
    with_rate = [c for c in candidates if c.facts.attendance_rate is not None]
    return sorted(with_rate, key=lambda c: (c.facts.attendance_rate, c.pupil.pk))


def holiday_days(facts: RegisterFacts) -> list[date]:
    """The longest run of school days coded G in the threshold window: the holiday."""
    days = sorted({m.date for m in facts.threshold.sessions if m.code == "G"})
    index = facts.calendar.school_day_index
    runs: list[list[date]] = []
    for day in days:
        if runs and index(day) == index(runs[-1][-1]) + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return max(runs, key=len, default=[])


def known_to_services(candidate: OnRoll) -> dict[str, bool]:
    pupil = candidate.pupil
    if pupil.known_to_early_help or pupil.known_to_social_care or pupil.social_worker:
        return {"known_to_services": True, "practitioner_agrees": True}
    return {"known_to_services": False}


def resolved(given: Answers, answers: dict[str, Any]) -> dict[str, Any]:
    return {name: value(answers) if callable(value) else value for name, value in given.items()}


def blocked(
    pathway: Pathway, actor: User, school: School, pupil: Pupil, given: Answers, today: date
) -> bool:
    """Would the form be refused (an answer not accepted, or a blocking condition)? The
    checks the service makes before sending, on answers pre-filled from the register."""
    probe = Submission(pathway=pathway.slug, school=school, pupil=pupil, answers={})
    ctx = context_for(probe, user=actor, today=today)
    answers = {"school_urn": school.urn, **prefill_values(pathway, ctx, overwrite=True)}
    answers.update(resolved(given, answers))
    clean, found = validate_answers(pathway, answers, ctx.with_answers(answers))
    if not found.ok:
        return True
    ctx = ctx.with_answers(clean, pupil=found.pupil or pupil, school=found.school or school)
    return any(result.blocks for result in evaluate_requirements(pathway, ctx))


def fill_form(
    pathway: Pathway, actor: User, given: Answers, today: date, *, until: str | None = None
) -> Submission:
    """Start a draft and answer it a page at a time, as the browser does; stop after the
    step `until` (a draft saved for later) or at the end."""
    draft = services.submission_start(actor=actor, pathway=pathway)
    ctx = context_for(draft, user=actor, today=today)
    steps = visible_steps(pathway, ctx)
    step = steps[0] if steps else None
    while step is not None:
        page = {**draft.answers}
        page.update(resolved(given, page))
        result = read_step_json(pathway, step, page, ctx)
        if not result.ok:
            raise DemoSubmissionRefused(f"{pathway.slug}, {step.slug}: {result.errors}")
        draft = services.submission_draft_save(
            actor=actor, submission=draft, step=step, result=result, today=today
        )
        if step.slug == until:
            break
        ctx = context_for(draft, user=actor, today=today)
        step = step_after(pathway, ctx, step.slug)
    return draft


def submit_form(pathway: Pathway, actor: User, draft: Submission, today: date) -> Submission:
    """Check your answers, then send: a reason for each condition that asks for one."""
    ctx = context_for(draft, user=actor, today=today)
    reasons = {
        r.requirement.id: REASONS.get(r.requirement.id, DEFAULT_REASON)
        for r in evaluate_requirements(pathway, ctx)
        if r.needs_reason
    }
    try:
        return services.submission_submit(
            actor=actor,
            submission=draft,
            today=today,
            base_url=DEMO_BASE_URL,
            reasons=reasons,
        )
    except services.SubmissionRefused as refused:
        raise DemoSubmissionRefused(f"{pathway.slug}: {refused}") from refused
