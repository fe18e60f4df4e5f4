"""One pupil's statutory figures for the school year to date (`attendance_report`).

The reference path: it reads the pupil's marks and applies the pure rules of
`schools.rules` directly. The nightly evaluation computes the same facts for whole schools
with the vectorised kernels; tests hold the two to the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from schools.calendar import (
    SchoolCalendar,
    academic_year_bounds,
    academic_year_label,
    academic_year_of,
)
from schools.evaluation import closure_days
from schools.models import Enrolment, Mark, Pupil, School
from schools.projections import projection_arrays
from schools.rules import (
    SessionMark,
    attendance_rate,
    attendance_return_due,
    illness_school_days,
    is_compulsory_school_age,
    is_persistent_absence,
    is_severe_absence,
    longest_illness_run_sessions,
    longest_unauthorised_run_school_days,
    overdue_n_codes,
    penalty_threshold,
    session_statistics,
    sickness_return_due,
)
from schools.school_calendar import calendar_for_school

SESSION_NAMES = ("AM", "PM")


class NoEnrolment(LookupError):
    """The pupil has no enrolment at any school on or before the date asked about."""


@dataclass(frozen=True)
class PupilYear:
    """A pupil's marks at one school from the start of last school year to as_of."""

    pupil: Pupil
    school: School
    as_of: date
    year: int
    marks: list[SessionMark]
    calendar: SchoolCalendar

    @property
    def year_start(self) -> date:
        return academic_year_bounds(self.year)[0]

    @property
    def this_year(self) -> list[SessionMark]:
        return [m for m in self.marks if self.year_start <= m.date <= self.as_of]


def school_on(pupil: Pupil, as_of: date, within: QuerySet[School] | None = None) -> School:
    """The school the pupil is registered at on as_of (main registration first), else the
    school of their most recent enrolment before it; only among the schools `within` (the
    reader's scope) when given, so a former school sees its own enrolment (issue 10 item 1)."""
    enrolments = (
        Enrolment.objects.filter(pupil=pupil, start_date__lte=as_of)
        .select_related("school__district")
        .order_by("-start_date")
    )
    if within is not None:
        enrolments = enrolments.filter(school__in=within)
    open_now = enrolments.filter(Q(end_date__isnull=True) | Q(end_date__gte=as_of))
    for candidates in (
        open_now.exclude(registration=Enrolment.Registration.DUAL_SUBSIDIARY),
        open_now,
        enrolments,
    ):
        enrolment = candidates.first()
        if enrolment is not None:
            return enrolment.school
    raise NoEnrolment(f"{pupil.upn} has no enrolment on or before {as_of.isoformat()}")


def pupil_year_load(pupil: Pupil, as_of: date, within: QuerySet[School] | None = None) -> PupilYear:
    school = school_on(pupil, as_of, within)
    year = academic_year_of(as_of)
    first = academic_year_bounds(year - 1)[0]
    rows = Mark.objects.filter(
        school=school, pupil=pupil, date__gte=first, date__lte=as_of
    ).values_list("date", "session", "code")
    marks = [SessionMark(day, SESSION_NAMES[session], code) for day, session, code in rows]
    calendar = calendar_for_school(school.pk, [year - 1, year])
    # Whole-school closures (# / Y4) come from the school's register as a whole.
    school_pupils = list(
        Enrolment.objects.filter(school=school).values_list("pupil_id", flat=True).distinct()
    )
    closed: list[date] = []
    for y in (year - 1, year):
        arrays = projection_arrays(school_id=school.pk, academic_year=y, pupil_ids=school_pupils)
        closed += closure_days(arrays, academic_year_bounds(y)[0])
    return PupilYear(pupil, school, as_of, year, marks, calendar.excluding(closed))


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def attendance_report(
    pupil: Pupil, as_of: date, *, within: QuerySet[School] | None = None
) -> dict[str, Any]:
    """The report with exactly the keys `manage.py attendance_report` prints; for a reader,
    pass their schools as `within`: the report is then of their enrolment only."""
    data = pupil_year_load(pupil, as_of, within)
    this_year = data.this_year
    stats = session_statistics(this_year)
    rate = attendance_rate(stats)
    compulsory = is_compulsory_school_age(pupil.date_of_birth, as_of)
    threshold = penalty_threshold(data.marks, data.calendar, as_of=as_of, from_date=data.year_start)
    run = longest_unauthorised_run_school_days(
        this_year, data.calendar, start=data.year_start, end=as_of
    )
    illness_run = longest_illness_run_sessions(
        this_year, data.calendar, start=data.year_start, end=as_of
    )
    illness_days = illness_school_days(this_year, year_start=data.year_start, as_of=as_of)
    return {
        "upn": pupil.upn,
        "urn": data.school.urn,
        "as_of": as_of.isoformat(),
        "academic_year": academic_year_label(data.year),
        "compulsory_school_age": compulsory,
        "sessions": {
            "possible": stats.possible,
            "present": stats.present,
            "approved_activity": stats.approved_activity,
            "authorised": stats.authorised,
            "unauthorised": stats.unauthorised,
            "not_possible": stats.not_possible,
        },
        "attendance_rate": None if rate is None else float(rate),
        "persistent_absence": is_persistent_absence(stats),
        "severe_absence": is_severe_absence(stats),
        "penalty_threshold": {
            "met": threshold.met,
            "met_on": threshold.met_on.isoformat() if threshold.met_on else None,
            "met_session": str(threshold.met_session) if threshold.met_session else None,
            "window_start": threshold.window_start.isoformat() if threshold.window_start else None,
        },
        "overdue_n_codes": [
            {"date": n.date.isoformat(), "session": str(n.session), "due": n.due.isoformat()}
            for n in overdue_n_codes(this_year, data.calendar, as_of=as_of)
        ],
        "attendance_return": {
            "continuous_unauthorised_school_days": _number(run.school_days),
            "due": attendance_return_due(run.school_days, compulsory),
        },
        "sickness_return": {
            "illness_school_days": _number(illness_days),
            "due": sickness_return_due(illness_run.school_days, illness_days, compulsory),
        },
    }
