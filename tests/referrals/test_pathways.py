"""Each pathway's questions and conditions, through the one engine and the sending service:
a complete set of answers is accepted; each change below is refused with its reason."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from referrals import errors, services
from referrals.models import Submission
from referrals.pathways import PATHWAYS
from referrals.rules import Status
from schools.models import Enrolment, Pupil
from tests.factories.register import pupil_at, set_marks

from .conftest import TODAY, World, mark_n, sender_for, valid_answers

pytestmark = pytest.mark.django_db


def send(world: World, slug: str, answers: dict[str, Any], user=None) -> Submission:  # type: ignore[no-untyped-def]
    submission, created = services.submission_create(
        actor=user or sender_for(slug, world), pathway=PATHWAYS[slug], answers=answers, today=TODAY
    )
    assert created
    return submission


def refused(
    world: World,
    slug: str,
    answers: dict[str, Any],
    user=None,  # type: ignore[no-untyped-def]
) -> services.SubmissionRefused:
    with pytest.raises(services.SubmissionRefused) as caught:
        send(world, slug, answers, user)
    assert not Submission.objects.filter(pathway=slug).exists(), "nothing is kept"
    return caught.value


@pytest.mark.parametrize("slug", list(PATHWAYS))
def test_a_complete_set_of_answers_is_sent(world, slug):  # type: ignore[no-untyped-def]
    submission = send(world, slug, valid_answers(slug, world))
    assert submission.status == Status.SUBMITTED
    assert submission.reference.endswith("-000001")
    assert submission.school == world.school
    assert submission.team is not None


def change(world: World, slug: str, **changes: Any) -> dict[str, Any]:
    answers = valid_answers(slug, world)
    for key, value in changes.items():
        if value is ...:
            answers.pop(key, None)
        else:
            answers[key] = value
    return answers


# (pathway, the answers changed, the question with the error, the error) -------------------------
INVALID = [
    pytest.param(
        "suspension-or-exclusion",
        {"end_date": ...},
        "end_date",
        "Enter the last day of the suspension",
        id="1-suspension-needs-its-last-day",
    ),
    pytest.param(
        "suspension-or-exclusion",
        {"end_date": "2025-11-20"},
        "end_date",
        "The last day of the suspension must be the same as or after the first day",
        id="1-last-day-not-before-first",
    ),
    pytest.param(
        "suspension-or-exclusion",
        {"exclusion_type": "permanent"},
        "day6_arranged_by",
        "Select who is arranging provision from day 6",
        id="1-permanent-exclusion-requires-day-6-provision",
    ),
    pytest.param(
        "suspension-or-exclusion",
        {"sessions": 12},
        "day6_arranged_by",
        "Select who is arranging provision from day 6",
        id="1-more-than-5-days-requires-day-6-provision",
    ),
    pytest.param(
        "suspension-or-exclusion",
        {"pupil_flags": ["in_care"]},
        "virtual_school_told",
        "Select yes if the Virtual School has been told",
        id="1-child-in-care-asks-about-the-virtual-school",
    ),
    pytest.param(
        "suspension-or-exclusion",
        {"reason_category": "XX"},
        "reason_category",
        errors.CHOICE_UNKNOWN,
        id="1-reason-from-the-dfe-categories",
    ),
    pytest.param(
        "child-missing-education",
        {"forwarding_address_known": True},
        "forwarding_address",
        "Enter the forwarding address",
        id="2-forwarding-address-required-when-known",
    ),
    pytest.param(
        "child-missing-education",
        {"has_siblings": True},
        "siblings",
        "Add at least one brother or sister",
        id="2-siblings-required-when-some",
    ),
    pytest.param(
        "child-missing-education",
        {"last_attended": "2025-12-01"},
        "last_attended",
        "The date the pupil last attended must be today or in the past",
        id="2-last-attended-not-in-future",
    ),
    pytest.param(
        "attendance-or-sickness-return",
        {"pupils": []},
        "pupils",
        "Add at least one pupil",
        id="3-at-least-one-pupil",
    ),
    pytest.param(
        "attendance-or-sickness-return",
        {
            "pupils": [
                {
                    "upn": "D886200100001",
                    "return_type": "sickness",
                    "absence_from": "2025-11-03",
                    "flags": ["none"],
                }
            ]
        },
        "pupils-0-upn",
        None,
        id="3-pupil-from-another-register-not-found",
    ),
    pytest.param(
        "deletion-from-admission-register",
        {"ground": "1g"},
        "forwarding_address_known",
        None,
        id="4-1g-needs-cme-notification-first",
    ),
    pytest.param(
        "deletion-from-admission-register",
        {"ground": "3a"},
        "deletion_date",
        None,
        id="4-ground-must-match-compulsory-school-age",
    ),
    pytest.param(
        "deletion-from-admission-register",
        {"ground": "1o", "exclusion_concluded": False},
        "exclusion_concluded",
        None,
        id="4-1o-only-once-exclusion-processes-concluded",
    ),
    pytest.param(
        "deletion-from-admission-register",
        {"ground": "1a", "new_school": ...},
        "new_school",
        "Enter the name of the pupil's new school",
        id="4-1a-requires-the-new-school",
    ),
    pytest.param(
        "formal-attendance-meeting",
        {"absence_unauthorised": False},
        "absence_unauthorised",
        None,
        id="5-absences-must-be-unauthorised",
    ),
    pytest.param(
        "formal-attendance-meeting",
        {"second_date": "2025-11-30"},
        "second_date",
        "The other date must be the same as or after the proposed date",
        id="5-dates-in-order",
    ),
    pytest.param(
        "penalty-notice",
        {"pupil_flags": ["in_care"]},
        "pupil_flags",
        "A penalty notice cannot be issued for a child in the care of a local authority.",
        id="6-not-for-a-child-in-care",
    ),
    pytest.param(
        "penalty-notice",
        {"scenario": ...},
        "scenario",
        "Select which case this is",
        id="6-scenario-required",
    ),
    pytest.param(
        "penalty-notice",
        {"safeguarding_concerns": True},
        "safeguarding_concerns",
        None,
        id="6-not-with-safeguarding-concerns",
    ),
    pytest.param(
        "penalty-notice",
        {"known_to_services": True},
        "practitioner_agrees",
        "Select yes if the practitioner agrees",
        id="6-practitioner-asked-when-known-to-services",
    ),
    pytest.param(
        "statutory-attendance-intervention",
        {"part_time_timetable": True},
        "part_time_timetable",
        None,
        id="7-blocked-by-a-part-time-timetable",
    ),
    pytest.param(
        "statutory-attendance-intervention",
        {"parents": []},
        "parents",
        "Add each parent",
        id="7-parents-required",
    ),
    pytest.param(
        "single-registration-at-a-pru",
        {"criteria": []},
        "criteria",
        "Select the criteria the pupil meets",
        id="8-criteria-required",
    ),
    pytest.param(
        "single-registration-at-a-pru",
        {"criteria": ["other"]},
        "other_criterion",
        "Describe the reason",
        id="8-other-criterion-described",
    ),
    pytest.param(
        "exclusion-intervention-advice",
        {"meeting_requested": True},
        "parents_agree",
        "Select yes if the parents have agreed",
        id="9-parents-agreement-asked",
    ),
    pytest.param(
        "part-time-timetable",
        {"for_behaviour": True},
        "for_behaviour",
        None,
        id="10-never-to-manage-behaviour",
    ),
    pytest.param(
        "part-time-timetable",
        {"parental_consent": False},
        "parental_consent",
        None,
        id="10-needs-parental-consent",
    ),
    pytest.param(
        "part-time-timetable",
        {"proposed_end": "2025-11-30"},
        "proposed_end",
        "The proposed end date must be after the start date",
        id="10-end-after-start",
    ),
    pytest.param(
        "part-time-timetable",
        {"reviews": []},
        "reviews",
        "Add at least one review date",
        id="10-review-dates-required",
    ),
    pytest.param(
        "part-time-timetable",
        {"arrangement": "flexi", "flexi_policy": True, "proposed_end": ...},
        None,
        None,
        id="10-flexi-schooling-needs-no-end-date",
    ),
    pytest.param(
        "professional-request",
        {"school_urn": "999999"},
        "school_urn",
        "There is no school with URN 999999 in Kent County Council",
        id="11-school-must-exist",
    ),
]


@pytest.mark.parametrize(("slug", "changes", "question", "message"), INVALID)
def test_each_question_is_checked(world, slug, changes, question, message):  # type: ignore[no-untyped-def]
    answers = change(world, slug, **changes)
    if question is None:
        assert send(world, slug, answers).status == Status.SUBMITTED
        return
    problem = refused(world, slug, answers)
    assert question in problem.invalid.errors, problem.invalid.errors
    if message is not None:
        assert problem.invalid.errors[question] == message


def test_a_field_level_condition_explains_itself(world):  # type: ignore[no-untyped-def]
    problem = refused(
        world, "part-time-timetable", change(world, "part-time-timetable", for_behaviour=True)
    )
    assert problem.invalid.errors["for_behaviour"].startswith(
        "A part-time timetable must not be used to manage a pupil's behaviour"
    )


# --- conditions that depend on the register -------------------------------------------------------
def test_penalty_notice_refused_while_a_threshold_session_is_still_n(world):  # type: ignore[no-untyped-def]
    mark_n(world, date(2025, 11, 24))
    problem = refused(world, "penalty-notice", valid_answers("penalty-notice", world))
    assert [r.requirement.id for r in problem.blocked] == ["no-outstanding-n"]
    assert "cannot be submitted while a threshold session is still N" in str(problem)


def test_penalty_notice_refused_below_the_threshold(world):  # type: ignore[no-untyped-def]
    set_marks(
        world.school, world.pupil, [(date(2025, 11, 21), 0, "/"), (date(2025, 11, 21), 1, "\\")]
    )
    problem = refused(world, "penalty-notice", valid_answers("penalty-notice", world))
    assert {r.requirement.id for r in problem.blocked} == {"threshold", "ten-g-sessions"}


def test_penalty_notice_refused_with_c2_in_the_threshold_period(world):  # type: ignore[no-untyped-def]
    set_marks(world.school, world.pupil, [(date(2025, 11, 24), 0, "C2")])
    problem = refused(world, "penalty-notice", valid_answers("penalty-notice", world))
    assert [r.requirement.id for r in problem.blocked] == ["no-c2"]


def test_penalty_notice_after_a_notice_to_improve_needs_the_period_to_have_ended(world):  # type: ignore[no-untyped-def]
    answers = change(
        world,
        "penalty-notice",
        scenario="unauthorised",
        nti_sent="2025-11-20",
        nti_delivery="post",
        nti_contents=True,
        support_offered=True,
        support_detail="Meetings",
        best_tool=True,
    )
    problem = refused(world, "penalty-notice", answers)
    assert [r.requirement.id for r in problem.blocked] == ["notice-to-improve"]
    # Sent in September: the 20 school days ended in October, with G sessions since.
    set_marks(world.school, world.pupil, [(date(2025, 10, 10), 0, "O")])
    answers["nti_sent"] = "2025-09-22"
    assert send(world, "penalty-notice", answers).status == Status.SUBMITTED


def test_penalty_notice_third_notice_for_unauthorised_absence_is_refused(world):  # type: ignore[no-untyped-def]
    answers = change(
        world,
        "penalty-notice",
        scenario="unauthorised",
        nti_sent="2025-09-22",
        nti_delivery="hand",
        nti_contents=True,
        support_offered=False,
        best_tool=True,
        parents=[{"name": "A Parent", "address": "1 High St", "previous_notices": "2"}],
    )
    set_marks(world.school, world.pupil, [(date(2025, 10, 10), 0, "O")])
    problem = refused(world, "penalty-notice", answers)
    assert [r.requirement.id for r in problem.blocked] == ["third-notice"]
    # For leave it may be requested: the case is prosecuted by the Single Justice Procedure.
    leave = change(world, "penalty-notice", parents=answers["parents"])
    submission = send(world, "penalty-notice", leave)
    warned = {c["id"]: c for c in submission.conditions}
    assert warned["third-leave"]["outcome"] == "not_met"


def test_penalty_notice_only_from_a_state_funded_school(world):  # type: ignore[no-untyped-def]
    from kpas.base.roles import Role
    from schools.models import SchoolMembership
    from tests.factories import UserFactory

    head = UserFactory(role=Role.HEADTEACHER, email="indie-head@example.test")
    SchoolMembership.objects.create(user=head, school=world.independent)
    pupil = pupil_at(world.independent, born=date(2012, 2, 2))
    answers = change(world, "penalty-notice", upn=pupil.upn)
    problem = refused(world, "penalty-notice", answers, user=head)
    assert problem.invalid.errors["upn"] == "Independent schools cannot request penalty notices."


def test_penalty_notice_authorised_only_by_the_head_or_a_senior_leader_in_their_absence(world):  # type: ignore[no-untyped-def]
    answers = change(
        world,
        "penalty-notice",
        head_authorises=...,
        head_absent=False,
        head_name="Helen Hart",
        head_absence="-",
        delegate_role="Deputy head",
    )
    problem = refused(world, "penalty-notice", answers, user=world.sac)
    assert "Only the headteacher can authorise" in problem.invalid.errors["head_absent"]
    answers["head_absent"] = True
    assert send(world, "penalty-notice", answers, user=world.sac).status == Status.SUBMITTED
    with pytest.raises(services.PathwayRefused, match=errors.PATHWAY_NOT_FOR_YOU):
        send(world, "penalty-notice", answers, user=world.office)


def test_statutory_intervention_with_c2_recently_needs_a_reason(world):  # type: ignore[no-untyped-def]
    # Within the last 20 school days, but not the most recent week (see test_register_codes).
    set_marks(world.school, world.pupil, [(date(2025, 11, 18), 0, "C2")])
    answers = valid_answers("statutory-attendance-intervention", world)
    problem = refused(world, "statutory-attendance-intervention", answers)
    assert list(problem.reasons_missing) == ["no-recent-c2"]
    answers["_reasons"] = {"no-recent-c2": "The part-time timetable ended last week."}
    submission = send(world, "statutory-attendance-intervention", answers)
    reason = {c["id"]: c["reason"] for c in submission.conditions}["no-recent-c2"]
    assert reason == "The part-time timetable ended last week."


def test_cme_later_than_10_school_days_needs_a_reason(world):  # type: ignore[no-untyped-def]
    answers = change(world, "child-missing-education", last_attended="2025-11-10")
    problem = refused(world, "child-missing-education", answers)
    assert list(problem.reasons_missing) == ["within-10-school-days"]
    answers["_reasons"] = {"within-10-school-days": "Enquiries took longer."}
    assert send(world, "child-missing-education", answers).status == Status.SUBMITTED


def test_deletion_1g_accepted_after_a_cme_notification_for_the_pupil(world):  # type: ignore[no-untyped-def]
    cme = send(world, "child-missing-education", valid_answers("child-missing-education", world))
    submission = send(
        world,
        "deletion-from-admission-register",
        change(world, "deletion-from-admission-register", ground="1g", new_school=...),
    )
    cme_first = {c["id"]: c for c in submission.conditions}["cme-first"]
    assert cme_first["outcome"] == "met" and cme.reference in cme_first["detail"]
    assert submission.team.slug == "cme"


def test_deletion_1f_from_a_special_school_needs_the_authoritys_agreement(world):  # type: ignore[no-untyped-def]
    from kpas.base.roles import Role
    from schools.models import SchoolMembership
    from tests.factories import UserFactory

    head = UserFactory(role=Role.HEADTEACHER, email="special-head@example.test")
    SchoolMembership.objects.create(user=head, school=world.special)
    pupil = pupil_at(world.special, born=date(2013, 4, 4))
    answers = change(
        world,
        "deletion-from-admission-register",
        upn=pupil.upn,
        ground="1f",
        parent_notice_date="2025-11-20",
        sao_in_force=False,
        la_agreement=False,
        new_school=...,
    )
    problem = refused(world, "deletion-from-admission-register", answers, user=head)
    assert "without the authority's agreement" in problem.invalid.errors["la_agreement"]
    answers["la_agreement"] = True
    submission = send(world, "deletion-from-admission-register", answers, user=head)
    assert submission.team.slug == "send"
    assert [t.slug for t in submission.copied_teams.all()] == ["ehe"]


def test_deletion_1i_needs_20_school_days_of_continuous_absence_on_the_register(world):  # type: ignore[no-untyped-def]
    answers = change(
        world,
        "deletion-from-admission-register",
        ground="1i",
        forwarding_address_known=True,
        forwarding_address="2 Sea Road, Dover",
        new_school=...,
    )
    problem = refused(world, "deletion-from-admission-register", answers)
    # A forwarding address does not waive the CME enquiries under 1(i) (issue 10 item 11).
    assert [r.requirement.id for r in problem.blocked] == [
        "cme-enquiries-complete",
        "continuous-absence",
    ]


# --- the pupil must be on the school's roll -------------------------------------------------------
def test_a_pupil_who_has_left_is_refused_with_the_date(world):  # type: ignore[no-untyped-def]
    Enrolment.objects.filter(pupil=world.pupil).update(end_date=date(2025, 10, 31))
    problem = refused(
        world, "child-missing-education", valid_answers("child-missing-education", world)
    )
    assert problem.invalid.errors["upn"] == errors.UPN_NOT_ON_ROLL.format(
        name=world.pupil.display_name, school="Oakfield Primary School", ended="31 October 2025"
    )


def test_a_pupil_of_another_school_is_not_found(world):  # type: ignore[no-untyped-def]
    answers = change(world, "child-missing-education", upn=world.other_pupil.upn)
    problem = refused(world, "child-missing-education", answers)
    assert problem.invalid.errors["upn"] == errors.UPN_NOT_FOUND.format(
        upn=world.other_pupil.upn, schools="Oakfield Primary School"
    )
    assert Pupil.objects.filter(upn=world.other_pupil.upn).exists()


def test_the_professional_request_is_for_the_authoritys_staff_only(world):  # type: ignore[no-untyped-def]
    with pytest.raises(services.PathwayRefused):
        send(
            world,
            "professional-request",
            valid_answers("professional-request", world),
            user=world.head,
        )
