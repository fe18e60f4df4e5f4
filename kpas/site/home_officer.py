"""An officer's home page: each linked school's figures against the national and the
authority's figures for its phase, with what needs chasing (issue 14 item 2).

Reads the precomputed figures (kpas/figures) and counts alerts and forms in a handful of
set-based queries whatever the number of schools: never the marks.
"""

from __future__ import annotations

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

    @property
    def below_national(self) -> bool:
        gap = self.attendance_gap
        return gap is not None and gap < 0

    @property
    def trend_words(self) -> str:
        return trend_words(self.figures.trend if self.figures else None)


def trend_words(points: float | None) -> str:
    """The officer's trend in words (docs/dashboards.md "Trend"): the last 4 school weeks
    against the 4 before them, to one decimal place; "" when there is no trend."""
    if points is None:
        return ""
    shown = round(points, 1)
    if shown == 0:
        return "level with the 4 weeks before"
    direction = "up" if shown > 0 else "down"
    return f"{direction} {abs(shown):.1f} points on the 4 weeks before"


def _alert_counts(school_ids: list[int], year: int) -> dict[int, tuple[int, int]]:
    """Per school, (overdue N codes not cleared, pupils who met the penalty threshold this
    year with no request sent): one grouped query over the evaluation's alerts, so nothing
    per pupil comes back to Python (issue 14 item 6)."""
    sent = Submission.objects.filter(
        school_id=OuterRef("school_id"), pupil_id=OuterRef("pupil_id"), pathway=PENALTY_FORM
    ).exclude(status=Status.DRAFT)
    overdue, threshold = Alert.Kind.OVERDUE_N_CODE, Alert.Kind.PENALTY_THRESHOLD
    rows = (
        Alert.objects.filter(
            school_id__in=school_ids, academic_year=year, kind__in=(overdue, threshold)
        )
        .values_list("school_id")
        .annotate(
            overdue=Count("pk", filter=Q(kind=overdue, cleared_on__isnull=True)),
            threshold=Count("pupil_id", distinct=True, filter=Q(kind=threshold) & ~Exists(sent)),
        )
        .order_by()
    )
    return {school_id: (n_overdue, n_threshold) for school_id, n_overdue, n_threshold in rows}


def officer_rows(schools: QuerySet[School], *, today: date) -> list[OfficerSchoolRow]:
    school_list = list(schools.order_by("name"))
    ids = [s.pk for s in school_list]
    year = academic_year_of(today)
    figures: dict[int, SchoolFigures] = {}
    for row in SchoolFigures.objects.filter(
        school_id__in=ids, cohort="all", academic_year__in=(year - 1, year)
    ).order_by("academic_year"):
        figures[row.school_id] = row  # the latest year wins
    alerts = _alert_counts(ids, year)
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
                *alerts.get(school.pk, (0, 0)),
                *returns.get(school.pk, (0, 0)),
                next_meetings.get(school.pk),
            )
        )
    return rows
