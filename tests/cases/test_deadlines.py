"""Clocks kept on cases from the submission's answers and the school's own calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from referrals.cases import services
from referrals.pathway_names import PathwayName

from .conftest import TODAY, sent_submission

pytestmark = pytest.mark.django_db


def _exclusion(world, **answers):  # type: ignore[no-untyped-def]
    submission = sent_submission(world, PathwayName.EXCLUSION)
    submission.answers = answers
    submission.save()
    return services.case_open(actor=world.eia, submission=submission, today=TODAY)


def test_permanent_exclusion_day_six_then_governors(world):  # type: ignore[no-untyped-def]
    case = _exclusion(
        world,
        exclusion_type="permanent",
        start_date="2025-11-03",
        parents_told_date="2025-11-03",
        public_exam=False,
    )
    clocks = case.data["clocks"]
    assert clocks["day_six"] == "2025-11-10"
    assert (clocks["governors_days"], clocks["governors_due"]) == (15, "2025-11-24")
    assert case.due_on == date(2025, 11, 10)  # the earliest clock that still applies
    case = services.case_transition(
        actor=world.eia,
        case=case,
        action="record_provision",
        given={"from_on": "2025-11-10", "provider": "KCC"},
        today=TODAY,
    )
    assert case.due_on == date(2025, 11, 24)
    case = services.case_transition(
        actor=world.eia,
        case=case,
        action="record_governors",
        given={
            "met_on": "2025-11-20",
            "decision": "upheld",
            "notice_given_on": "2025-11-21",
            "notice_by": "post",
        },
        today=TODAY,
    )
    # Posted Fri 21 Nov, deemed given Tue 25 Nov; 15 school days later: Tue 16 Dec.
    assert case.data["clocks"]["review_due"] == "2025-12-16"
    assert case.due_on == date(2025, 12, 16)


def test_back_to_back_suspensions_join_and_count_towards_the_term(world):  # type: ignore[no-untyped-def]
    first = _exclusion(
        world,
        exclusion_type="suspension",
        start_date="2025-11-03",
        end_date="2025-11-07",
        sessions=10,
        parents_told_date="2025-11-03",
    )
    assert first.data["clocks"]["day_six"] is None  # five days: no day-6 provision
    assert first.data["clocks"]["governors_days"] is None
    second = _exclusion(
        world,
        exclusion_type="suspension",
        start_date="2025-11-10",
        end_date="2025-11-12",
        sessions=5,
        parents_told_date="2025-11-10",
    )
    clocks = second.data["clocks"]
    assert (clocks["joined_from"], clocks["joined_to"]) == ("2025-11-03", "2025-11-12")
    assert clocks["day_six"] == "2025-11-10"  # the joined period reaches day 6
    assert clocks["term_days"] == "15/2"
    # More than 5 days in the term: 50 school days once the parents make representations.
    second = services.case_transition(
        actor=world.eia,
        case=second,
        action="record_representations",
        given={"made_on": "2025-11-12"},
        today=TODAY,
    )
    assert second.data["clocks"]["governors_days"] == 50


def test_cme_enquiries_due_ten_school_days_after_receipt(world):  # type: ignore[no-untyped-def]
    submission = sent_submission(world, PathwayName.CME)
    submission.submitted_at = datetime(2025, 11, 17, 10, tzinfo=UTC)
    submission.save()
    case = services.case_open(actor=world.cme, submission=submission, today=TODAY)
    assert case.due_on == date(2025, 12, 1)


def test_part_time_review_date_and_flags(world):  # type: ignore[no-untyped-def]
    submission = sent_submission(world, PathwayName.PART_TIME)
    submission.answers = {
        "start_date": "2025-11-03",
        "proposed_end": "2026-01-30",
        "reviews": [{"date": "2025-12-15"}],
        "pupil_flags": ["ehcp", "early_help"],
    }
    submission.save()
    case = services.case_open(actor=world.ao, submission=submission, today=TODAY)
    assert case.data["clocks"]["flags"] == ["ehcp"]
    assert case.due_on == date(2025, 12, 15)
    case = services.case_transition(
        actor=world.ao,
        case=case,
        action="review",
        given={"reviewed_on": "2025-12-01", "next_review_on": "2025-12-08", "end_on": ""},
        today=TODAY,
    )
    assert case.due_on == date(2025, 12, 8)
    case = services.case_transition(
        actor=world.ao,
        case=case,
        action="return_full_time",
        given={"returned_on": "2025-12-10"},
        today=TODAY,
    )
    assert case.due_on is None and case.closed_at is not None
