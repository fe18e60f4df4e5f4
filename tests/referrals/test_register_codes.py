"""Suspensions back to back for day-6 provision; statutory intervention refused while a
part-time timetable (C2) is current; C2 below compulsory school age and X while of it are
flagged to the school, never refused (issue 10 item 12; KSAH §15 iv, §18, §19; DOMAIN §6,
§10, §11; SI 2024/208 Schedule)."""

from __future__ import annotations

from datetime import date

import pytest

from referrals import services
from referrals.pathway_rules import Suspension, back_to_back_sessions, code_age_mismatches
from referrals.rules import Status
from schools.calendar import SchoolCalendar
from schools.rules import SessionMark
from tests.factories.register import fill, pupil_at, set_marks

from .conftest import TODAY, valid_answers
from .test_pathways import change, refused, send

pytestmark = pytest.mark.django_db
EXCLUSION, SAI, PART_TIME = (
    "suspension-or-exclusion",
    "statutory-attendance-intervention",
    "part-time-timetable",
)
CALENDAR = SchoolCalendar.from_terms(
    [(date(2025, 9, 3), date(2025, 10, 24)), (date(2025, 11, 3), date(2025, 12, 19))]
)


@pytest.mark.parametrize(
    ("start", "earlier", "sessions"),
    [
        pytest.param(
            date(2025, 11, 24),
            [Suspension(date(2025, 11, 20), date(2025, 11, 21), 4)],
            4,
            id="over-a-weekend",
        ),
        pytest.param(
            date(2025, 11, 24),
            [
                Suspension(date(2025, 11, 20), date(2025, 11, 21), 4),
                Suspension(date(2025, 11, 18), date(2025, 11, 19), 4),
            ],
            8,
            id="a-chain",
        ),
        pytest.param(
            date(2025, 11, 3),
            [Suspension(date(2025, 10, 23), date(2025, 10, 24), 4)],
            4,
            id="over-half-term",
        ),
        pytest.param(
            date(2025, 11, 25),
            [Suspension(date(2025, 11, 20), date(2025, 11, 21), 4)],
            0,
            id="a-school-day-between",
        ),
    ],
)
def test_back_to_back_suspensions_count_together(start, earlier, sessions):  # type: ignore[no-untyped-def]
    # KSAH §19; DOMAIN §10: provision from the sixth school day of consecutive suspensions.
    assert back_to_back_sessions(CALENDAR, start=start, earlier=earlier) == sessions


@pytest.mark.parametrize(
    ("dob", "code", "found"),
    [
        pytest.param(date(2020, 10, 15), "C2", (1, 0), id="c2-below-compulsory-age"),
        pytest.param(date(2016, 1, 10), "X", (0, 1), id="x-of-compulsory-age"),
        pytest.param(date(2016, 1, 10), "C2", (0, 0), id="c2-of-age-fits"),
        pytest.param(date(2020, 10, 15), "X", (0, 0), id="x-below-age-fits"),
    ],
)
def test_codes_that_do_not_fit_the_pupils_age(dob, code, found):  # type: ignore[no-untyped-def]
    mark = SessionMark(date(2025, 11, 24), "AM", code)
    assert code_age_mismatches([mark], dob=dob) == found


def test_a_suspension_back_to_back_with_an_earlier_one_needs_day_six_provision(world):  # type: ignore[no-untyped-def]
    first = change(
        world, EXCLUSION, start_date="2025-11-20", end_date="2025-11-21", decision_date="2025-11-19"
    )
    first["parents_told_date"] = "2025-11-19"
    send(world, EXCLUSION, first)
    second = change(
        world,
        EXCLUSION,
        decision_date="2025-11-21",
        parents_told_date="2025-11-21",
        start_date="2025-11-24",
        end_date="2025-11-28",
        sessions=10,
    )
    # 10 sessions alone is 5 school days; with the 4 before it, more than 5.
    with pytest.raises(services.SubmissionRefused) as problem:
        send(world, EXCLUSION, second)
    assert "day6_arranged_by" in problem.value.invalid.errors
    second.update(day6_arranged_by="school", day6_detail="Supervised study at our annexe.")
    assert send(world, EXCLUSION, second).status == Status.SUBMITTED


def test_statutory_intervention_is_refused_while_c2_is_current(world):  # type: ignore[no-untyped-def]
    set_marks(world.school, world.pupil, [(date(2025, 11, 25), 0, "C2")])
    problem = refused(world, SAI, valid_answers(SAI, world))
    assert [r.requirement.id for r in problem.blocked] == ["no-current-c2"]


def test_c2_below_compulsory_school_age_is_flagged_not_refused(world):  # type: ignore[no-untyped-def]
    young = pupil_at(world.school, born=date(2020, 10, 15))
    fill(world.school, young, date(2025, 9, 3), TODAY)
    set_marks(world.school, young, [(date(2025, 11, 24), 1, "C2")])
    answers = change(world, PART_TIME, upn=young.upn, pupil_dob="2020-10-15")
    sent = send(world, PART_TIME, answers)
    flag = {c["id"]: c for c in sent.conditions}["codes-fit-age"]
    assert flag["outcome"] == "not_met" and flag["on_fail"] == "warn"
    assert "1 C2 sessions while the pupil was below compulsory school age" in flag["detail"]


def test_x_for_a_pupil_of_compulsory_school_age_is_flagged_not_refused(world):  # type: ignore[no-untyped-def]
    set_marks(world.school, world.pupil, [(date(2025, 11, 24), 0, "X")])
    sent = send(world, PART_TIME, valid_answers(PART_TIME, world))
    flag = {c["id"]: c for c in sent.conditions}["codes-fit-age"]
    assert flag["outcome"] == "not_met" and "1 X sessions while of it" in flag["detail"]


def test_a_suspension_after_e_days_on_the_register_needs_day_six_provision(world):  # type: ignore[no-untyped-def]
    set_marks(
        world.school,
        world.pupil,
        [(day, s, "E") for day in (date(2025, 11, 20), date(2025, 11, 21)) for s in (0, 1)],
    )
    answers = change(
        world,
        EXCLUSION,
        decision_date="2025-11-21",
        parents_told_date="2025-11-21",
        start_date="2025-11-24",
        end_date="2025-11-28",
        sessions=10,
    )
    problem = refused(world, EXCLUSION, answers)
    assert "day6_arranged_by" in problem.invalid.errors
