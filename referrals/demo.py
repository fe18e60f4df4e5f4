"""Demo Digital Front Door submissions, so an officer signing in to the demo finds work in
the queues.

Each form is filled in a page at a time and sent through the same services as the web form
(`submission_start`, `submission_draft_save`, `submission_submit`): the register pre-fills
the pupil's details, the conditions are checked, and routing, references, the timeline and
the emails behave as in production. The demo school's headteacher sends them, about pupils
chosen by their register figures (never fixed UPNs, so the small demo works too), and the
West area's attendance officer works one of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from kpas.base.demo_accounts import DEMO_ACCOUNTS, DEMO_SCHOOL_URN
from kpas.base.models import User
from kpas.base.roles import Role
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
from referrals.facts import current_absence_run
from referrals.models import Submission
from referrals.pathways import pathway_get
from referrals.selectors import officer_choices_for
from schools.models import Enrolment, Pupil, School
from schools.register_facts import RegisterFacts, register_facts_for

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


def demo_submissions_create(*, as_of: date) -> int:
    """The demo school's forms: sent ones in the teams' queues, one triaged and allocated
    by the attendance officer, and a draft. Does nothing if the demo school already has
    submissions. Returns how many were created (the draft included)."""
    if Submission.objects.filter(school__urn=DEMO_SCHOOL_URN).exists():
        return 0
    school = School.objects.select_related("district__area").get(urn=DEMO_SCHOOL_URN)
    head, officer = _account(Role.HEADTEACHER), _account(Role.ATTENDANCE_OFFICER)
    # Each form commits on its own, as when sent from a browser: its emails go then, before
    # the officer's work on it appears on its timeline.
    demo = _DemoSchool(school=school, head=head, as_of=as_of, pupils=_on_roll(school, as_of))
    enforcement = demo.penalty_notice() or demo.statutory_intervention()
    meeting = demo.attendance_meeting()
    missing = demo.missing_education()
    part_time = demo.part_time_timetable()
    draft = demo.exclusion_advice_draft()
    if missing is not None:
        _officer_works(missing, officer)
    return sum(s is not None for s in (enforcement, meeting, missing, part_time, draft))


def _account(role: Role) -> User:
    email = next(account.email for account in DEMO_ACCOUNTS if account.role == role)
    return User.objects.get(email=email)


def _on_roll(school: School, as_of: date) -> list[OnRoll]:
    """The school's pupils with a register, in a stable order."""
    pupils = Pupil.objects.filter(
        pk__in=Enrolment.objects.filter(school=school).values("pupil_id")
    ).order_by("pk")
    found = []
    for pupil in pupils:
        facts = register_facts_for(pupil, as_of)
        if facts is not None and facts.school.pk == school.pk:
            found.append(OnRoll(pupil, facts))
    return found


def _officer_works(submission: Submission, officer: User) -> None:
    """The attendance officer accepts a notification of a child missing education, records
    the home visit and passes it to the CME team, who are copied in (KSAH §22)."""
    submission = services.submission_triage(
        actor=officer,
        submission=submission,
        note="Accepted. I have asked the school for the emergency contacts and will visit.",
    )
    services.submission_note_add(
        actor=officer,
        submission=submission,
        note="Home visit made: no answer. A neighbour says the family left about two weeks "
        "ago, possibly for Birmingham. No forwarding address.",
    )
    cme_officer = officer_choices_for(submission).filter(role=Role.CME_TEAM).first()
    if cme_officer is not None:
        services.submission_allocate(actor=officer, submission=submission, officer=cme_officer)


@dataclass
class _DemoSchool:
    school: School
    head: User
    as_of: date
    pupils: list[OnRoll]
    used: set[int] = field(default_factory=set)  # pupils already written about

    # --- the forms -----------------------------------------------------------------------
    def penalty_notice(self) -> Submission | None:
        """A pupil who met the threshold with a holiday in term time (G), if the register
        has one for whom every blocking condition is met."""
        pathway = _pathway("penalty-notice")

        def answers(candidate: OnRoll) -> Answers:
            leave = _holiday(candidate.facts)
            return {
                "upn": candidate.pupil.upn,
                "head_authorises": ["yes"],
                "scenario": "leave",
                "leave_requested": True,
                "leave_from": min(leave, default=self.as_of).isoformat(),
                "leave_to": max(leave, default=self.as_of).isoformat(),
                "leave_reason": "A family holiday abroad; the request was refused in writing.",
                "parents": lambda given: [
                    {**parent, "previous_notices": "0"} for parent in given.get("parents", [])
                ],
                "safeguarding_concerns": False,
                **_known_to_services(candidate),
                "equality_considered": True,
                "policy_explains": True,
            }

        holiday = sorted(
            (c for c in self._free() if c.facts.threshold.met),
            key=lambda c: (  # the longest holiday, then the most recent
                -len(_holiday(c.facts)),
                -max(_holiday(c.facts), default=date.min).toordinal(),
                c.pupil.pk,
            ),
        )
        return self._send_first(pathway, holiday, answers)

    def statutory_intervention(self) -> Submission | None:
        """When no pupil fits a penalty notice: the lowest attendance goes to statutory
        attendance intervention."""
        pathway = _pathway("statutory-attendance-intervention")

        def answers(candidate: OnRoll) -> Answers:
            return {
                "upn": candidate.pupil.upn,
                "part_time_timetable": False,
                "support_tried": "Weekly check-ins with the Senior Attendance Champion, a "
                "morning club place and an Early Help assessment offered.",
                "parents_engagement": "partly",
                "engagement_detail": "The parents came to the first meeting but not the review.",
                "attendance_contract": True,
            }

        return self._send_first(pathway, _by_attendance(self._free()), answers)

    def attendance_meeting(self) -> Submission | None:
        """A persistently absent pupil with unauthorised absence: the officer is invited to
        a formal attendance meeting."""
        pathway = _pathway("formal-attendance-meeting")
        calendar = self.pupils[0].facts.calendar if self.pupils else None
        first = calendar.nth_school_day_after(self.as_of, 5) if calendar else self.as_of
        second = calendar.nth_school_day_after(self.as_of, 6) if calendar else self.as_of

        def answers(candidate: OnRoll) -> Answers:
            return {
                "upn": candidate.pupil.upn,
                "first_date": first.isoformat(),
                "second_date": second.isoformat(),
                "time_of_day": "9:30am",
                "venue": "school",
                "led_by": "Sam Adeyemi, Senior Attendance Champion",
                "absence_unauthorised": True,
                "enforcement_considered": True,
                "support_offered": "Attendance letters, two support meetings with the parents "
                "and a referral to the school nurse.",
                "barriers": "Anxiety about school since moving house; a younger sibling's "
                "hospital appointments.",
            }

        persistent = [c for c in self._free() if c.facts.persistent_absence]
        persistent.sort(
            key=lambda c: (
                not c.facts.compulsory_school_age,  # legal intervention needs it
                c.facts.unauthorised == 0,
                c.facts.attendance_rate,
                c.pupil.pk,
            )
        )
        return self._send_first(pathway, persistent or _by_attendance(self._free()), answers)

    def missing_education(self) -> Submission | None:
        """The pupil whose absence has run longest, or who attended least recently."""
        pathway = _pathway("child-missing-education")

        def answers(candidate: OnRoll) -> Answers:
            return {
                "upn": candidate.pupil.upn,
                "enquiries": ["parents", "emergency_contacts", "agencies"],
                "enquiries_found": "Phone numbers are disconnected and letters unanswered. "
                "The emergency contact thinks the family may have moved away.",
                "forwarding_address_known": False,
                "new_school_known": False,
                "believed_location": "england",
                "has_siblings": False,
                "safeguarding_concerns": False,
            }

        def missing_first(c: OnRoll) -> tuple[Any, ...]:
            last = c.facts.last_attended or date.min
            return (
                not c.facts.compulsory_school_age,
                -current_absence_run(c.facts).school_days,
                last,
                c.pupil.pk,
            )

        return self._send_first(pathway, sorted(self._free(), key=missing_first), answers)

    def part_time_timetable(self) -> Submission | None:
        """The pupil with the most C2 (part-time timetable) on the recent register."""
        pathway = _pathway("part-time-timetable")

        def answers(candidate: OnRoll) -> Answers:
            facts = candidate.facts
            recent = facts.recent_days[0] if facts.recent_days else facts.as_of
            c2 = [m.date for m in facts.codes_between(recent, facts.as_of) if m.code == "C2"]
            start = min(c2) if c2 else facts.calendar.nth_school_day_after(self.as_of, 1)
            return {
                "upn": candidate.pupil.upn,
                "arrangement": "part_time",
                "reason": "health",
                "reason_detail": "Returning after a long illness; building up to full days "
                "with the school nurse's advice.",
                "for_behaviour": False,
                "start_date": start.isoformat(),
                "proposed_end": facts.calendar.add_school_days(start, 30).isoformat(),
                "reviews": [{"date": facts.calendar.add_school_days(self.as_of, 5).isoformat()}],
                "sessions_attended": 5,
                "timetable": "Mornings only, Monday to Friday.",
                "parental_consent": True,
                "risk_assessment": True,
                "services_consulted": True,
            }

        on_c2 = sorted(
            self._free(),
            key=lambda c: (-c.facts.recent_c2, -c.facts.threshold.c2_sessions, c.pupil.pk),
        )
        return self._send_first(pathway, on_c2, answers)

    def exclusion_advice_draft(self) -> Submission | None:
        """A request for exclusion intervention advice, started and saved for later."""
        pathway = _pathway("exclusion-intervention-advice")
        free = sorted(self._free(), key=lambda c: (-c.facts.exclusion_sessions, c.pupil.pk))
        if not free:
            return None
        candidate = free[0]
        self.used.add(candidate.pupil.pk)
        return _fill(
            pathway, self.head, {"upn": candidate.pupil.upn}, self.as_of, until="pupil-details"
        )

    # --- choosing and sending ----------------------------------------------------------------
    def _free(self) -> list[OnRoll]:
        return [c for c in self.pupils if c.pupil.pk not in self.used]

    def _send_first(
        self,
        pathway: Pathway,
        candidates: Iterable[OnRoll],
        answers: Callable[[OnRoll], Answers],
    ) -> Submission | None:
        """Send the form about the first candidate for whom it passes every check and no
        condition blocks it; None when there is none."""
        for candidate in candidates:
            given = answers(candidate)
            if _blocked(pathway, self.head, self.school, candidate.pupil, given, self.as_of):
                continue
            self.used.add(candidate.pupil.pk)
            with transaction.atomic():  # no half-filled draft left behind if sending fails
                draft = _fill(pathway, self.head, given, self.as_of)
                return _submit(pathway, self.head, draft, self.as_of)
        return None


def _pathway(slug: str) -> Pathway:
    pathway = pathway_get(slug)
    assert pathway is not None, slug
    return pathway


def _by_attendance(candidates: list[OnRoll]) -> list[OnRoll]:
    with_rate = [c for c in candidates if c.facts.attendance_rate is not None]
    return sorted(with_rate, key=lambda c: (c.facts.attendance_rate, c.pupil.pk))


def _holiday(facts: RegisterFacts) -> list[date]:
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


def _known_to_services(candidate: OnRoll) -> dict[str, bool]:
    pupil = candidate.pupil
    if pupil.known_to_early_help or pupil.known_to_social_care or pupil.social_worker:
        return {"known_to_services": True, "practitioner_agrees": True}
    return {"known_to_services": False}


def _resolved(given: Answers, answers: dict[str, Any]) -> dict[str, Any]:
    return {name: value(answers) if callable(value) else value for name, value in given.items()}


def _blocked(
    pathway: Pathway, actor: User, school: School, pupil: Pupil, given: Answers, today: date
) -> bool:
    """Would the form be refused (an answer not accepted, or a blocking condition)? The
    checks the service makes before sending, on answers pre-filled from the register."""
    probe = Submission(pathway=pathway.slug, school=school, pupil=pupil, answers={})
    ctx = context_for(probe, user=actor, today=today)
    answers = {"school_urn": school.urn, **prefill_values(pathway, ctx, overwrite=True)}
    answers.update(_resolved(given, answers))
    clean, found = validate_answers(pathway, answers, ctx.with_answers(answers))
    if not found.ok:
        return True
    ctx = ctx.with_answers(clean, pupil=found.pupil or pupil, school=found.school or school)
    return any(result.blocks for result in evaluate_requirements(pathway, ctx))


def _fill(
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
        page.update(_resolved(given, page))
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


def _submit(pathway: Pathway, actor: User, draft: Submission, today: date) -> Submission:
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
