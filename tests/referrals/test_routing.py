"""Routing, table by table: the rules declared with each pathway decide the team that works a
submission, the teams told too, and the officer it is allocated to."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from referrals.engine.context import Context
from referrals.pathways import PATHWAYS
from referrals.routing import route, route_rules

from .conftest import TODAY

MAINTAINED = SimpleNamespace(school_type="maintained")
SPECIAL = SimpleNamespace(school_type="special")


def decide(
    slug: str, answers: dict[str, Any], school: Any = MAINTAINED
) -> tuple[str, bool, str, list[str]]:
    ctx = Context(answers=answers, user=None, today=TODAY, school=school)
    primary, copies = route_rules(PATHWAYS[slug], ctx)
    assert primary is not None
    return primary.team, primary.by_area, primary.officer, [rule.team for rule in copies]


NONE = {"pupil_flags": ["none"]}
IN_CARE = {"pupil_flags": ["in_care"]}
EHCP = {"pupil_flags": ["ehcp"]}


@pytest.mark.parametrize(
    ("slug", "answers", "school", "expected"),
    [
        pytest.param(
            "suspension-or-exclusion",
            {**NONE, "exclusion_type": "suspension"},
            MAINTAINED,
            ("exclusions", False, "exclusion_adviser", []),
            id="1-exclusions-team-to-the-eia",
        ),
        pytest.param(
            "suspension-or-exclusion",
            {**IN_CARE, "exclusion_type": "suspension"},
            MAINTAINED,
            ("exclusions", False, "exclusion_adviser", ["virtual_school"]),
            id="1-child-in-care-copied-to-the-virtual-school",
        ),
        pytest.param(
            "suspension-or-exclusion",
            {**EHCP, "exclusion_type": "permanent"},
            MAINTAINED,
            ("exclusions", False, "exclusion_adviser", ["send"]),
            id="1-permanent-exclusion-with-ehcp-copied-to-send",
        ),
        pytest.param(
            "child-missing-education",
            NONE,
            MAINTAINED,
            ("area_attendance", True, "attendance_officer", ["cme"]),
            id="2-cme-to-the-area-team-of-the-schools-district",
        ),
        pytest.param(
            "attendance-or-sickness-return",
            {"pupils": [{"flags": ["none"]}, {"flags": ["in_care"]}]},
            MAINTAINED,
            ("area_attendance", True, "attendance_officer", ["virtual_school"]),
            id="3-returns-to-the-area-team-any-child-in-care-to-vsk",
        ),
        *[
            pytest.param(
                "deletion-from-admission-register",
                {**NONE, "ground": ground},
                MAINTAINED,
                (team, False, officer, []),
                id=f"4-ground-{ground}-to-{team}",
            )
            for ground, team, officer in [
                ("1a", "admissions", ""),
                ("1b", "admissions", ""),
                ("1c", "admissions", ""),
                ("1d", "courts", ""),
                ("1e", "courts", ""),
                ("1f", "ehe", ""),
                ("1g", "cme", ""),
                ("1h", "cme", ""),
                ("1i", "cme", ""),
                ("1j", "admissions", ""),
                ("1k", "admissions", ""),
                ("1l", "admissions", ""),
                ("1m", "admissions", ""),
                ("1n", "admissions", ""),
                ("1o", "exclusions", "exclusion_adviser"),
                ("3a", "admissions", ""),
                ("3b", "admissions", ""),
                ("3c", "cme", ""),
                ("3d", "admissions", ""),
                ("3e", "exclusions", "exclusion_adviser"),
            ]
        ],
        pytest.param(
            "deletion-from-admission-register",
            {**NONE, "ground": "1f"},
            SPECIAL,
            ("send", False, "", ["ehe"]),
            id="4-1f-at-a-special-school-to-send",
        ),
        pytest.param(
            "deletion-from-admission-register",
            {**EHCP, "ground": "1a"},
            MAINTAINED,
            ("admissions", False, "", ["send"]),
            id="4-ehcp-copied-to-send",
        ),
        pytest.param(
            "deletion-from-admission-register",
            {**IN_CARE, "ground": "1g"},
            MAINTAINED,
            ("cme", False, "", ["virtual_school"]),
            id="4-in-care-copied-to-vsk",
        ),
        pytest.param(
            "formal-attendance-meeting",
            NONE,
            MAINTAINED,
            ("area_attendance", True, "attendance_officer", []),
            id="5-to-the-ao",
        ),
        pytest.param(
            "penalty-notice",
            NONE,
            MAINTAINED,
            ("courts", False, "", []),
            id="6-penalty-notice-to-the-courts-team",
        ),
        pytest.param(
            "statutory-attendance-intervention",
            NONE,
            MAINTAINED,
            ("area_attendance", True, "attendance_officer", []),
            id="7-to-the-ao",
        ),
        pytest.param(
            "single-registration-at-a-pru",
            EHCP,
            MAINTAINED,
            ("pru", False, "exclusion_adviser", ["send"]),
            id="8-pru-commissioning",
        ),
        pytest.param(
            "exclusion-intervention-advice",
            NONE,
            MAINTAINED,
            ("area_attendance", True, "exclusion_adviser", []),
            id="9-to-the-eia",
        ),
        pytest.param(
            "part-time-timetable",
            {"pupil_flags": ["ehcp", "in_care"]},
            MAINTAINED,
            ("area_attendance", True, "exclusion_adviser", ["send", "virtual_school"]),
            id="10-to-the-eia-copied-by-flags",
        ),
        pytest.param(
            "professional-request",
            {**NONE, "topic": "exclusion"},
            MAINTAINED,
            ("area_attendance", True, "exclusion_adviser", []),
            id="11-exclusion-matters-to-the-eia",
        ),
        pytest.param(
            "professional-request",
            {**NONE, "topic": "missing_education"},
            MAINTAINED,
            ("area_attendance", True, "attendance_officer", ["cme"]),
            id="11-missing-education-to-the-ao-and-cme",
        ),
    ],
)
def test_routing_table(slug, answers, school, expected):  # type: ignore[no-untyped-def]
    assert decide(slug, answers, school) == expected


def test_every_pathway_routes_somewhere_whatever_the_answers():  # type: ignore[no-untyped-def]
    for slug in PATHWAYS:
        assert (
            route_rules(
                PATHWAYS[slug], Context(answers={}, user=None, today=TODAY, school=MAINTAINED)
            )[0]
            is not None
        ), slug


@pytest.mark.django_db
def test_route_finds_the_area_team_and_the_linked_officer(world):  # type: ignore[no-untyped-def]
    ctx = Context(answers=NONE, user=None, today=TODAY, school=world.east_school)
    result = route(PATHWAYS["child-missing-education"], ctx)
    assert result.team.slug == "kpas-east" and result.team.area.name == "East"
    assert result.officer == world.east_ao
    assert [team.slug for team in result.copies] == ["cme"]
    west = route(
        PATHWAYS["child-missing-education"],
        Context(answers=NONE, user=None, today=TODAY, school=world.school),
    )
    assert west.team.slug == "kpas-west" and west.officer == world.ao
