"""The demo's Digital Front Door submissions: sent through the real services from the demo
school, in the right teams' queues, one worked by the attendance officer, one draft; and a
second seed changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from kpas.base.demo_accounts import DEMO_SCHOOL_URN
from kpas.base.models import OutboxEmail, Team, User
from kpas.site.demo_seed import DEMO_AS_OF
from referrals.demo import demo_submissions_create
from referrals.demo.deletions import NO_ACCOUNT_SENDER
from referrals.emails import RECEIPT_PURPOSE
from referrals.models import ReferenceCounter, Submission, SubmissionEvent
from referrals.rules import Status
from referrals.selectors import team_queue_for
from schools.models import Enrolment, Mark, School
from schools.register_facts import register_facts_for
from tests.factories.register import fill, school_days, set_marks

pytestmark = pytest.mark.django_db

AREA_TEAM_PATHWAYS = {
    "formal-attendance-meeting",
    "child-missing-education",
    "part-time-timetable",
    "statutory-attendance-intervention",
}


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _sent() -> dict[str, Submission]:
    """The demo school's head's forms (the returns demo's deletion return is sent without an
    account: referrals/demo/deletions.py)."""
    return {
        s.pathway: s
        for s in Submission.objects.exclude(status=Status.DRAFT).exclude(submitter=None)
    }


@pytest.fixture
def seeded(db, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--small", verbosity=0)


def test_the_demo_school_sends_forms_that_land_in_the_teams_queues(seeded):  # type: ignore[no-untyped-def]
    sent = _sent()
    # No pupil of the small demo meets every penalty notice condition: the register's worst
    # attender goes to statutory attendance intervention instead.
    assert {"formal-attendance-meeting", "child-missing-education", "part-time-timetable"} <= set(
        sent
    )
    assert ("penalty-notice" in sent) != ("statutory-attendance-intervention" in sent)
    head = _user("head@demo.kpas.test")
    for submission in sent.values():
        assert submission.school.urn == DEMO_SCHOOL_URN and submission.submitter == head
        assert submission.reference and submission.reference.startswith("DFD-")
        assert submission.source == Submission.Source.WEB
        assert submission.register_snapshot  # the figures the school saw are kept
    west = Team.objects.get(function=Team.Function.AREA_ATTENDANCE, area__name="West")
    ao_queue = set(team_queue_for(_user("ao@demo.kpas.test")))
    for slug in AREA_TEAM_PATHWAYS & set(sent):
        assert sent[slug].team == west and sent[slug] in ao_queue, slug
    if "penalty-notice" in sent:
        assert sent["penalty-notice"].team.function == Team.Function.COURTS
        assert sent["penalty-notice"] in team_queue_for(_user("courts@demo.kpas.test"))
    cme = sent["child-missing-education"]
    assert cme in team_queue_for(_user("cme@demo.kpas.test"))  # copied to the CME team
    assert sent["part-time-timetable"].allocated_officer == _user("eia@demo.kpas.test")


def test_pupils_are_chosen_by_their_register(seeded):  # type: ignore[no-untyped-def]
    sent = _sent()
    meeting = sent["formal-attendance-meeting"]
    facts = register_facts_for(meeting.pupil, DEMO_AS_OF)
    assert facts is not None and facts.persistent_absence and facts.unauthorised > 0
    assert len({s.pupil_id for s in Submission.objects.all()}) == Submission.objects.count()


def test_the_attendance_officer_triages_notes_and_allocates_one(seeded):  # type: ignore[no-untyped-def]
    ao = _user("ao@demo.kpas.test")
    cme = _sent()["child-missing-education"]
    assert cme.status == Status.TRIAGED
    assert cme.allocated_officer == _user("cme@demo.kpas.test")
    assert cme.events.filter(kind="note", message__contains="Home visit").exists()
    timeline = list(cme.events.order_by("pk").values_list("kind", "actor"))
    assert timeline[:3] == [
        ("submitted", _user("head@demo.kpas.test").pk),
        ("routed", None),
        ("allocated", None),  # routed to the school's attendance officer
    ]
    assert [k for k in timeline if k[1] == ao.pk] == [
        ("triaged", ao.pk),
        ("note", ao.pk),
        ("allocated", ao.pk),
    ]


def test_emails_and_a_draft_as_in_production(seeded):  # type: ignore[no-untyped-def]
    sent = _sent()
    everyone = OutboxEmail.objects.filter(purpose=RECEIPT_PURPOSE)
    receipts = [m for m in everyone if m.to != [NO_ACCOUNT_SENDER]]
    assert len(receipts) == everyone.count() - 1  # the deletion return sent without an account
    assert sorted(m.subject.rpartition(" ")[2] for m in receipts) == sorted(
        s.reference for s in sent.values()
    )
    assert all(m.to == ["head@demo.kpas.test"] for m in receipts)
    draft = Submission.objects.get(status=Status.DRAFT)
    assert draft.reference is None and draft.submitter == _user("head@demo.kpas.test")
    assert draft.pupil is not None and draft.steps_done == ["pupil", "pupil-details"]


def test_a_second_seed_changes_nothing(seeded):  # type: ignore[no-untyped-def]
    counts = (
        Submission.objects.count(),
        SubmissionEvent.objects.count(),
        list(ReferenceCounter.objects.values_list("year", "last")),
    )
    assert counts[0] == len(_sent()) + 2  # the draft, and the deletion return without an account
    call_command("seed_demo", "--small", verbosity=0)
    assert demo_submissions_create(as_of=DEMO_AS_OF) == 0
    assert (
        Submission.objects.count(),
        SubmissionEvent.objects.count(),
        list(ReferenceCounter.objects.values_list("year", "last")),
    ) == counts


def test_a_pupil_back_from_a_term_time_holiday_gets_a_penalty_notice_request(db, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("kpas.site.demo_seed.demo_submissions_create", lambda *, as_of: 0)
    # Without the Courts Team's demo holidays (penalties/demo.py), so the one holiday the
    # school's form can be about is this test's.
    monkeypatch.setattr("kpas.site.demo_seed.penalties_demo_register", lambda **_: [])
    call_command("seed_demo", "--small", verbosity=0)
    school = School.objects.get(urn=DEMO_SCHOOL_URN)
    pupil = (
        Enrolment.objects.filter(school=school, year_group__in=["3", "4", "5", "6"])
        .exclude(pupil__child_in_care=True)
        .order_by("pupil_id")
        .first()
        .pupil
    )
    # Present every session this year, except a week's holiday before half term (10 G).
    Mark.objects.filter(pupil=pupil, date__gte=date(2026, 9, 1)).delete()
    fill(school, pupil, date(2026, 9, 2), DEMO_AS_OF)
    holiday = school_days(school, date(2026, 10, 12), date(2026, 10, 16))
    set_marks(school, pupil, [(day, session, "G") for day in holiday for session in (0, 1)])

    assert demo_submissions_create(as_of=DEMO_AS_OF) == 5
    request = Submission.objects.get(pathway="penalty-notice")
    assert request.pupil == pupil and request.status == Status.SUBMITTED
    assert (request.answers["leave_from"], request.answers["leave_to"]) == (
        "2026-10-12",
        "2026-10-16",
    )
    assert request.team.function == Team.Function.COURTS
    assert request in team_queue_for(_user("courts@demo.kpas.test"))
    assert all(c["outcome"] == "met" for c in request.conditions)
    assert not Submission.objects.filter(pathway="statutory-attendance-intervention").exists()
