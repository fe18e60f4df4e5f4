"""The demo shows the rules at their edges (issue 10, done when): a half-day closure that
keeps its morning as a school day, and a pupil with a second threshold episode."""

from __future__ import annotations

from datetime import date

import pytest

from kpas.base.demo_accounts import DEMO_SCHOOL_URN
from schools.attendance_report import attendance_report
from schools.demo_edges import HALF_DAY_CLOSURE
from schools.models import Mark, Pupil, School
from schools.school_calendar import calendar_for_school

pytestmark = pytest.mark.django_db


def test_the_half_day_closure_keeps_its_morning(demo_world):  # type: ignore[no-untyped-def]
    school = School.objects.get(urn=DEMO_SCHOOL_URN)
    afternoon = set(
        Mark.objects.filter(school=school, date=HALF_DAY_CLOSURE, session=1).values_list(
            "code", flat=True
        )
    )
    assert afternoon == {"#"}
    calendar = calendar_for_school(school.pk, [2026])
    assert calendar.is_school_day(HALF_DAY_CLOSURE)  # DOMAIN §13: the morning was held


def test_a_pupil_has_a_second_threshold_episode(demo_world):  # type: ignore[no-untyped-def]
    school = School.objects.get(urn=DEMO_SCHOOL_URN)
    twice = []
    for pupil in Pupil.objects.filter(enrolments__school=school):
        report = attendance_report(pupil, date(2026, 11, 20))
        episodes = report["penalty_threshold"]["episodes"]
        if len(episodes) >= 2:
            twice.append([e["met_on"] for e in episodes])
    assert ["2026-09-08", "2026-11-18"] in twice
