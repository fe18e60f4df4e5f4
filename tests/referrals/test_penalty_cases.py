"""The penalty notice pathway's three cases counted at their edges (issue 10 items 9 and 10):
the leave case within the leave dates the school states, compulsory school age per session
and on the day seen, the policy target compared exactly, and escalation per parent."""

from __future__ import annotations

from datetime import date

import pytest

from referrals.rules import Status
from schools.register_facts import register_facts_for
from tests.factories.register import fill, pupil_at, set_marks

from .conftest import TODAY
from .test_pathways import change, refused, send

pytestmark = pytest.mark.django_db
PN = "penalty-notice"


def test_the_leave_case_counts_g_only_within_the_leave_dates_stated(world):  # type: ignore[no-untyped-def]
    # DOMAIN §5 "Precise counting": 10 G within the leave dates the school states. The
    # register's 10 G run 17-21 November; the school says the leave was 17-19 November.
    answers = change(world, PN, leave_from="2025-11-17", leave_to="2025-11-19")
    problem = refused(world, PN, answers)
    assert [r.requirement.id for r in problem.blocked] == ["ten-g-sessions"]
    answers["leave_to"] = "2025-11-21"
    sent = send(world, PN, answers)
    leave = {c["id"]: c for c in sent.conditions}["ten-g-sessions"]
    assert leave["outcome"] == "met" and "10 sessions of G" in leave["detail"]


def test_the_public_place_case_needs_compulsory_school_age_on_the_day_seen(world):  # type: ignore[no-untyped-def]
    # EIA06 s.103; DOMAIN §5: a child who turned 5 in October 2025 is of compulsory school
    # age only from 31 December 2025 (EA96 s.8(2)).
    young = pupil_at(world.school, born=date(2020, 10, 15))
    fill(world.school, young, date(2025, 9, 3), TODAY)
    set_marks(
        world.school,
        young,
        [(day, s, "E") for day in (date(2025, 11, 24), date(2025, 11, 25)) for s in (0, 1)],
    )
    answers = change(
        world,
        PN,
        upn=young.upn,
        pupil_dob="2020-10-15",
        scenario="public_place",
        exclusion_start="2025-11-24",
        seen_date="2025-11-25",
        seen_where="In the town centre at 11am, seen by a PCSO.",
        dates_in_writing=True,
        leave_requested=...,
        leave_from=...,
        leave_to=...,
    )
    problem = refused(world, PN, answers)
    assert "not of compulsory school age" in problem.invalid.errors["seen_date"]


def test_attendance_is_compared_with_the_policy_target_exactly(world):  # type: ignore[no-untyped-def]
    # Issue 10 item 9: compare with the target exactly, never after rounding the rate.
    facts = register_facts_for(world.pupil, TODAY)
    assert facts is not None and facts.attendance_rate is not None
    exact = facts.present * 100 / facts.possible
    assert exact < float(facts.attendance_rate), "the fixture's rate must round up"
    world.school.attendance_target = facts.attendance_rate  # e.g. 91.6666...% vs 91.67%
    world.school.save(update_fields=["attendance_target"])
    sent = send(world, PN, change(world, PN))
    assert sent.status == Status.SUBMITTED
    below = {c["id"]: c for c in sent.conditions}["below-target"]
    assert below["outcome"] == "met"


TWO_PARENTS = [
    {"name": "Ms Alex Pupil", "address": "1 High St", "previous_notices": "2"},
    {"name": "Mr Sam Pupil", "address": "2 Low St", "previous_notices": "0"},
]


def test_a_parent_at_the_escalation_limit_blocks_only_that_parent(world):  # type: ignore[no-untyped-def]
    # DOMAIN §5 "Escalation window": the limit applies to each parent separately.
    answers = change(
        world,
        PN,
        scenario="unauthorised",
        nti_sent="2025-09-22",
        nti_delivery="hand",
        nti_contents=True,
        support_offered=True,
        support_detail="Meetings",
        best_tool=True,
        parents=TWO_PARENTS,
        leave_requested=...,
        leave_from=...,
        leave_to=...,
    )
    set_marks(world.school, world.pupil, [(date(2025, 10, 10), 0, "O")])
    sent = send(world, PN, answers)
    conditions = {c["id"]: c for c in sent.conditions}
    assert conditions["third-notice"]["outcome"] == "met"
    marked = conditions["parent-at-limit"]
    assert marked["outcome"] == "not_met" and marked["on_fail"] == "warn"
    assert "No notice for Ms Alex Pupil: marked for other legal intervention" in marked["detail"]
    assert "Mr Sam Pupil" not in marked["detail"]


def test_a_third_leave_case_marks_that_parent_for_the_single_justice_procedure(world):  # type: ignore[no-untyped-def]
    sent = send(world, PN, change(world, PN, parents=TWO_PARENTS))
    third = {c["id"]: c for c in sent.conditions}["third-leave"]
    assert third["outcome"] == "not_met"
    assert "No notice for Ms Alex Pupil: marked for Single Justice Procedure" in third["detail"]


def test_every_parent_at_the_limit_refuses_the_unauthorised_case(world):  # type: ignore[no-untyped-def]
    parents = [{**p, "previous_notices": "2"} for p in TWO_PARENTS]
    answers = change(
        world,
        PN,
        scenario="unauthorised",
        nti_sent="2025-09-22",
        nti_delivery="hand",
        nti_contents=True,
        support_offered=True,
        support_detail="Meetings",
        best_tool=True,
        parents=parents,
    )
    set_marks(world.school, world.pupil, [(date(2025, 10, 10), 0, "O")])
    problem = refused(world, PN, answers)
    assert [r.requirement.id for r in problem.blocked] == ["third-notice"]
