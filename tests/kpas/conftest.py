"""Fixtures for the Targeting Support Meeting tests: two schools of one officer, one below
the national primary average and one above it, with a school year of three terms."""

from __future__ import annotations

import pytest

from kpas.base.roles import Role
from kpas.tsm.services import tsm_year_propose
from schools.models import Mark, SchoolMembership, TermDate
from tests.factories import UserFactory
from tests.factories.attendance import AS_OF, constructed_school, many_pupils
from tests.kpas.tsm_terms import SPRING, SUMMER


@pytest.fixture
def world(settings):  # type: ignore[no-untyped-def]
    settings.TSM_OFFICER_DAILY_LIMIT = 1
    officer = UserFactory(role=Role.ATTENDANCE_OFFICER, email="officer@example.test")
    # Below the national primary average: 92 of 696 sessions missed (86.8%).
    below = constructed_school(name="Below Primary", attendance_officer=officer)
    # Above it: one pupil in 20 missed 24 sessions (99.8%).
    above = constructed_school(name="Above Primary", attendance_officer=officer).school
    for start, end in (SPRING, SUMMER):
        TermDate.objects.get_or_create(school=None, start=start, end=end, kind="term")
    head = UserFactory(role=Role.HEADTEACHER, email="head@example.test")
    SchoolMembership.objects.create(user=head, school=below.school)
    return {"officer": officer, "below": below.school, "above": above, "head": head}


@pytest.fixture
def proposed(world):  # type: ignore[no-untyped-def]
    # Make "above" a school with excellent attendance: replace its constructed register.
    Mark.objects.filter(school=world["above"]).delete()
    many_pupils(world["above"], 20, absent_every=1000)
    result = tsm_year_propose(academic_year=2025, today=AS_OF)
    return {**world, "result": result}
