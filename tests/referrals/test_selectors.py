"""Who sees which submissions (DESIGN: security model). Out of scope is "not found"."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.http import Http404

from referrals import services
from referrals.pathways import PATHWAYS
from referrals.selectors import (
    draft_get_for,
    evidence_get_for,
    submission_get_for,
    submission_list_for,
    submission_workable_for,
    team_list_for,
    team_queue_for,
)

from .conftest import TODAY, World, valid_answers

pytestmark = pytest.mark.django_db


def send(world: World, slug: str, user: Any = None, **changes: Any):  # type: ignore[no-untyped-def]
    answers = {**valid_answers(slug, world), **changes}
    return services.submission_create(
        actor=user or world.head, pathway=PATHWAYS[slug], answers=answers, today=TODAY
    )[0]


@pytest.fixture
def sent(world):  # type: ignore[no-untyped-def]
    return {
        "cme": send(world, "child-missing-education"),  # West area team; copied to CME
        "penalty": send(world, "penalty-notice"),  # Courts Team
        "ehe": send(
            world,
            "deletion-from-admission-register",
            ground="1f",
            parent_notice_date="2025-11-20",
            sao_in_force=False,
        ),  # EHE team
        "by_office": send(world, "exclusion-intervention-advice", user=world.office),
        "other_school": send(
            world,
            "child-missing-education",
            user=world.other_head,
            upn=world.other_pupil.upn,
            pupil_dob="2012-05-01",
        ),
    }


def refs(user, *names, sent):  # type: ignore[no-untyped-def]
    return {sent[name].reference for name in names}


def visible(user) -> set[str]:  # type: ignore[no-untyped-def]
    return set(submission_list_for(user).values_list("reference", flat=True))


def test_school_staff_see_everything_their_school_sent_and_nothing_else(world, sent):  # type: ignore[no-untyped-def]
    mine = refs(world.head, "cme", "penalty", "ehe", "by_office", sent=sent)
    assert visible(world.head) == mine == visible(world.office)
    assert visible(world.other_head) == {sent["other_school"].reference}
    with pytest.raises(Http404):
        submission_get_for(world.other_head, sent["cme"].reference)
    with pytest.raises(Http404):
        submission_get_for(world.head, "DFD-2099-999999")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        pytest.param(
            "ao",
            {"cme", "penalty", "ehe", "by_office", "other_school"},
            id="linked-officer-sees-their-schools",
        ),
        pytest.param("east_ao", set(), id="officer-of-another-area-sees-none"),
        pytest.param("courts", {"penalty"}, id="courts-team-its-queue-only"),
        pytest.param("cme", {"cme", "other_school"}, id="cme-team-what-is-copied-to-it"),
        pytest.param("ehe", {"ehe"}, id="ehe-team-its-queue"),
        pytest.param(
            "admin",
            {"cme", "penalty", "ehe", "by_office", "other_school"},
            id="service-administrator-everything",
        ),
    ],
)
def test_authority_staff_see_their_queues_and_schools(world, sent, who, expected):  # type: ignore[no-untyped-def]
    user = getattr(world, who)
    assert visible(user) == {sent[name].reference for name in expected}


def test_team_queues(world, sent):  # type: ignore[no-untyped-def]
    assert {t.slug for t in team_list_for(world.ao)} == {"kpas-west"}
    assert {t.slug for t in team_list_for(world.eia)} == {"kpas-west", "exclusions"}
    assert {t.slug for t in team_list_for(world.courts)} == {"courts"}
    queue = team_queue_for(world.ao)
    assert set(queue.values_list("reference", flat=True)) == {
        sent["cme"].reference,
        sent["other_school"].reference,
        sent["by_office"].reference,
    }
    assert set(team_queue_for(world.ao, mine=True).values_list("reference", flat=True)) == {
        sent["cme"].reference,
        sent["other_school"].reference,
    }
    assert not team_queue_for(world.ao, status="closed").exists()


def test_only_those_working_a_submission_can_act_on_it(world, sent):  # type: ignore[no-untyped-def]
    assert submission_workable_for(world.courts, sent["penalty"].reference)
    for user in (world.head, world.cme, world.east_ao):
        with pytest.raises(Http404):
            submission_workable_for(user, sent["penalty"].reference)


def test_a_draft_is_only_its_authors_or_this_browsers(world):  # type: ignore[no-untyped-def]
    mine = services.submission_start(actor=world.head, pathway=PATHWAYS["part-time-timetable"])
    assert draft_get_for(world.head, mine.token, []) == mine
    with pytest.raises(Http404):
        draft_get_for(world.sac, mine.token, [])
    with pytest.raises(Http404):
        draft_get_for(None, mine.token, [str(mine.token)])  # an account's draft, not a session's
    anonymous = services.submission_start(actor=None, pathway=PATHWAYS["part-time-timetable"])
    assert draft_get_for(None, anonymous.token, [str(anonymous.token)]) == anonymous
    with pytest.raises(Http404):
        draft_get_for(None, anonymous.token, [])
    with pytest.raises(Http404):
        draft_get_for(world.head, anonymous.token, [])
    with pytest.raises(Http404):
        draft_get_for(None, "not-a-token", [])


def test_evidence_is_seen_only_with_its_submission(world):  # type: ignore[no-untyped-def]
    draft = services.submission_start(
        actor=world.head, pathway=PATHWAYS["statutory-attendance-intervention"]
    )
    evidence = services.evidence_attach(
        actor=world.head, submission=draft, stream=io.BytesIO(b"%PDF-1.4"), size=8, name="a.pdf"
    )
    assert evidence_get_for(world.head, evidence.pk, []) == evidence
    for user in (world.sac, world.ao, None):
        with pytest.raises(Http404):
            evidence_get_for(user, evidence.pk, [])


def test_without_an_account_earlier_forms_count_only_for_the_named_school(world, sent):  # type: ignore[no-untyped-def]
    from referrals.context import RegisterLookups

    from .conftest import TODAY

    lookups = RegisterLookups(None, TODAY)
    found = lookups.prior_submissions(
        pupil=None,
        upn=world.pupil.upn,
        pathway="child-missing-education",
        exclude=None,
        school=world.school,
    )
    assert len(found) == 1 and found[0].reference == ""  # counted, not shown
    assert (
        lookups.prior_submissions(
            pupil=None,
            upn=world.pupil.upn,
            pathway="child-missing-education",
            exclude=None,
            school=world.east_school,
        )
        == []
    )


def test_home_queue_summary_counts_the_queue(world, sent, rf):  # type: ignore[no-untyped-def]
    # The staff home pages' summary is one statement (issue 14): the same three counts as
    # the queue's own filters.
    from django.template import Context

    from referrals.rules import Status
    from referrals.templatetags.referrals import dfd_queue_summary

    request = rf.get("/")
    request.user = world.ao
    summary = dfd_queue_summary(Context({"request": request}))
    queue = team_queue_for(world.ao)
    expected = (
        queue.filter(status=Status.SUBMITTED).count(),
        queue.count(),
        queue.filter(allocated_officer=world.ao).count(),
    )
    assert (summary["waiting"], summary["open"], summary["mine"]) == expected
    assert expected[1] == 3 and expected[2] == 2  # test_team_queues: three, two allocated
