"""An officer's home page: each linked school's figures against the national and the
authority's figures for its phase, with what needs chasing (issue 14 item 2).

Reads the precomputed figures (kpas/figures) and counts alerts and forms in a handful of
set-based queries whatever the number of schools: never the marks.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from kpas.figures.models import SchoolFigures
from kpas.site.todo_providers import PENALTY_FORM
from kpas.tsm.models import Meeting
from referrals.models import Submission
from referrals.rules import Status
from returns.models import ReturnEntry
from schools.calendar import academic_year_of
from schools.models import Alert, School
from schools.national_figures import Benchmark, benchmark_for


@dataclass(frozen=True)
class OfficerSchoolRow:
    school: School
    figures: SchoolFigures | None
    benchmark: Benchmark
    overdue_n: int
    threshold_without_request: int
    returns_to_make: int  # return entries still due (returns app)
    returns_overdue: int  # of which past their due date
    next_meeting: Meeting | None

    @property
    def attendance_gap(self) -> float | None:
        """Percentage points above (+) or below (-) the national figure for the phase."""
        own = self.figures.attendance_rate if self.figures else None
        national = self.benchmark.national.attendance if self.benchmark.national else None
        return None if own is None or national is None else own - national


def _without_form(
    school_ids: list[int], year: int, kinds: tuple[str, ...], slug: str
) -> Counter[int]:
    """Per school, pupils with an alert of these kinds this year and no such form sent:
    one grouped query, so nothing per pupil comes back to Python (issue 14 item 6)."""
    sent = Submission.objects.filter(
        school_id=OuterRef("school_id"), pupil_id=OuterRef("pupil_id"), pathway=slug
    ).exclude(status=Status.DRAFT)
    counts = (
        Alert.objects.filter(school_id__in=school_ids, academic_year=year, kind__in=kinds)
        .exclude(Exists(sent))
        .values_list("school_id")
        .annotate(n=Count("pupil_id", distinct=True))
        .order_by()
    )
    return Counter(dict(counts))


def officer_rows(schools: QuerySet[School], *, today: date) -> list[OfficerSchoolRow]:
    school_list = list(schools.select_related("district__area").order_by("name"))
    ids = [s.pk for s in school_list]
    year = academic_year_of(today)
    figures: dict[int, SchoolFigures] = {}
    for row in SchoolFigures.objects.filter(
        school_id__in=ids, cohort="all", academic_year__in=(year - 1, year)
    ).order_by("academic_year"):
        figures[row.school_id] = row  # the latest year wins
    overdue = dict(
        Alert.objects.filter(
            school_id__in=ids,
            kind=Alert.Kind.OVERDUE_N_CODE,
            academic_year=year,
            cleared_on__isnull=True,
        )
        .values_list("school_id")
        .annotate(n=Count("pk"))
    )
    threshold = _without_form(ids, year, (Alert.Kind.PENALTY_THRESHOLD,), PENALTY_FORM)
    returns = {
        row["school_id"]: (row["due"], row["overdue"])
        for row in ReturnEntry.objects.filter(school_id__in=ids, status=ReturnEntry.Status.DUE)
        .values("school_id")
        .annotate(due=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    }
    next_meetings: dict[int, Meeting] = {}
    for meeting in Meeting.objects.filter(
        school_id__in=ids, date__gte=today, status__in=("proposed", "agreed")
    ).order_by("-date"):
        next_meetings[meeting.school_id] = meeting  # the earliest wins
    benchmarks: dict[tuple[str, bool], Benchmark] = {}
    rows = []
    for school in school_list:
        key = (school.phase, school.state_funded)
        if key not in benchmarks:
            benchmarks[key] = benchmark_for(
                phase=school.phase,
                la_number=settings.AUTHORITY_LA_CODE,
                state_funded=school.state_funded,
            )
        rows.append(
            OfficerSchoolRow(
                school,
                figures.get(school.pk),
                benchmarks[key],
                overdue.get(school.pk, 0),
                threshold[school.pk],
                *returns.get(school.pk, (0, 0)),
                next_meetings.get(school.pk),
            )
        )
    return rows
