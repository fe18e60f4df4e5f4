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

from datetime import date

from kpas.base.demo_accounts import DEMO_ACCOUNTS, DEMO_SCHOOL_URN
from kpas.base.models import User
from kpas.base.roles import Role
from referrals import services
from referrals.demo.filling import OnRoll
from referrals.demo.school import DemoSchool
from referrals.models import Submission
from referrals.selectors import officer_choices_for
from schools.models import Enrolment, Pupil, School
from schools.register_facts import register_facts_for

__all__ = ["demo_submissions_create"]


def demo_submissions_create(*, as_of: date) -> int:
    """The demo school's forms: sent ones in the teams' queues, one triaged and allocated
    by the attendance officer, and a draft. Does nothing if the demo school already has
    submissions. Returns how many were created (the draft included)."""
    if Submission.objects.filter(school__urn=DEMO_SCHOOL_URN).exists():
        return 0
    school = School.objects.select_related("district__area").get(urn=DEMO_SCHOOL_URN)
    head, officer = _account(Role.HEADTEACHER), _account(Role.ATTENDANCE_OFFICER)
    # Each form commits on its own, as when sent from a browser: its emails are stored then, before
    # the officer's work on it appears on its timeline.
    demo = DemoSchool(school=school, head=head, as_of=as_of, pupils=_on_roll(school, as_of))
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
