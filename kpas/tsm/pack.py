"""The pack for one Targeting Support Meeting (DOMAIN §12; KSAH §15 ii, §25).

What the officer takes away is cohort-level: whole-school, characteristic and year-group
figures and counts, never a pupil's name. The severely absent pupils without a joint plan
are named only in the school's own view of the pack (`school_view=True`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q

from kpas.tsm.models import Action, JointPlan, Meeting
from schools.calendar import academic_year_label, academic_year_of
from schools.dashboard.figures import (
    CohortFigures,
    GroupRates,
    characteristic_cohorts,
    rates_of,
    school_attendance,
    year_group_cohorts,
)
from schools.models import Alert, Pupil
from schools.national_figures import Benchmark, benchmark_for


@dataclass(frozen=True)
class NamedPupil:
    upn: str
    name: str
    year_group: str


@dataclass(frozen=True)
class Pack:
    meeting: Meeting
    period: str
    year_to_date: GroupRates | None
    benchmark: Benchmark
    cohorts: list[CohortFigures]
    year_groups: list[CohortFigures]
    severe_absentees: int
    severe_without_plan: int
    named_without_plan: list[NamedPupil]  # empty unless the school's own view
    previous_actions: list[Action]
    school_view: bool


def _severe_without_plan(meeting: Meeting, year: int) -> tuple[int, list[int]]:
    severe = set(
        Alert.objects.filter(
            school_id=meeting.school_id,
            kind=Alert.Kind.SEVERE_ABSENCE,
            academic_year=year,
            cleared_on__isnull=True,
        ).values_list("pupil_id", flat=True)
    )
    planned = set(
        JointPlan.objects.filter(
            school_id=meeting.school_id, academic_year=year, pupil_id__in=severe
        ).values_list("pupil_id", flat=True)
    )
    return len(severe), sorted(severe - planned)


def previous_actions(meeting: Meeting) -> list[Action]:
    """Actions agreed at the school's earlier meetings still open, and those followed up at
    this one."""
    return list(
        Action.objects.filter(school_id=meeting.school_id)
        .exclude(meeting=meeting)
        .filter(Q(status=Action.Status.OPEN) | Q(followed_up_at=meeting))
        .filter(meeting__date__lt=meeting.date or date.max)
        .select_related("meeting")
    )


def meeting_pack(meeting: Meeting, *, school_view: bool, today: date) -> Pack:
    school = meeting.school
    as_of = min(today, meeting.date or today)
    attendance = school_attendance(school, as_of=as_of)
    year = attendance.data.year if attendance.year else academic_year_of(as_of)
    severe, without = _severe_without_plan(meeting, year)
    named: list[NamedPupil] = []
    if school_view and without:
        groups = {p.pupil_id: p.year_group for p in attendance.data.pupils}
        for pupil in Pupil.objects.filter(pk__in=without).order_by("surname", "forename"):
            named.append(NamedPupil(pupil.upn, pupil.display_name, groups.get(pupil.pk, "")))
    period = (
        f"{academic_year_label(year)} to {attendance.data.data_date:%-d %B %Y}"
        if attendance.year and attendance.data.data_date
        else "no register figures yet"
    )
    return Pack(
        meeting=meeting,
        period=period,
        year_to_date=rates_of(attendance.year.counts) if attendance.year else None,
        benchmark=benchmark_for(
            phase=school.phase,
            la_number=settings.AUTHORITY_LA_CODE,
            state_funded=school.state_funded,
        ),
        cohorts=characteristic_cohorts(attendance),
        year_groups=year_group_cohorts(attendance),
        severe_absentees=severe,
        severe_without_plan=len(without),
        named_without_plan=named,
        previous_actions=previous_actions(meeting),
        school_view=school_view,
    )
