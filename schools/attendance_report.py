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
from schools.models import Enrolment, Mark, Pupil, School
from schools.projections import projection_arrays
from schools.register_arrays import closure_days
from schools.rules import (
    SESSION_CHOICES,
    SessionMark,
    ThresholdEpisode,
    attendance_rate,
    is_persistent_absence,
    is_severe_absence,
    overdue_n_codes,
    penalty_threshold_episodes,
    session_statistics,
    threshold_window,
)
from schools.runs import (
    SICKNESS_RETURN_SESSIONS,
    ReturnEpisode,
    attendance_return_episodes,
    illness_sessions,
    longest_unauthorised_run_school_days,
    scan_start,
    sessions_to_school_days,
    sickness_return_episodes,
)
from schools.school_age import AgePeriod, compulsory_school_age_period, is_compulsory_school_age
from schools.school_calendar import calendar_for_school

SESSION_NAMES = tuple(name for _, name in SESSION_CHOICES)  # ("AM", "PM") by stored order
THRESHOLD_CODES = ("G", "N", "O", "U")


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


def _threshold_episode(episode: ThresholdEpisode) -> dict[str, Any]:
    by_code = episode.window.by_code
    return {
        "met_on": episode.met_on.isoformat(),
        "met_session": str(episode.met_session),
        "window_start": episode.window_start.isoformat(),
        "sessions": {code: by_code.get(code, 0) for code in THRESHOLD_CODES},
    }


def _return_episode(episode: ReturnEpisode) -> dict[str, Any]:
    return {
        "from": episode.first_day.isoformat(),
        "to": episode.last_day.isoformat(),
        "school_days": _number(episode.run.school_days),
        "due": episode.due,
    }


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
    age: AgePeriod = compulsory_school_age_period(pupil.date_of_birth)
    calendar, year_start = data.calendar, data.year_start
    # Every episode this school year, sessions counted only while of compulsory school age
    # (DOMAIN §3, §5 "Episodes"); the existing keys describe the first.
    episodes = penalty_threshold_episodes(
        data.marks, calendar, as_of=as_of, from_date=year_start, age_period=age
    )
    first = episodes[0] if episodes else None
    window_start = (
        first.window_start
        if first
        else threshold_window(data.marks, calendar, as_of=as_of, age_period=age).window_start
    )
    # Runs counted whole, followed back into last year (DOMAIN §8 "Precise counting").
    absences = attendance_return_episodes(
        data.marks, calendar, year_start=year_start, as_of=as_of, age_period=age
    )
    sicknesses = sickness_return_episodes(
        data.marks, calendar, year_start=year_start, as_of=as_of, age_period=age
    )
    run = longest_unauthorised_run_school_days(
        data.marks, calendar, start=scan_start(year_start), end=as_of, reaching=year_start
    )
    illness_days = sessions_to_school_days(
        illness_sessions(this_year, year_start=year_start, as_of=as_of)
    )
    illness_in_age = illness_sessions(this_year, year_start=year_start, as_of=as_of, age_period=age)
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
            "met": first is not None,
            "met_on": first.met_on.isoformat() if first else None,
            "met_session": str(first.met_session) if first else None,
            "window_start": window_start.isoformat() if window_start else None,
            "episodes": [_threshold_episode(e) for e in episodes],
        },
        "overdue_n_codes": [
            {"date": n.date.isoformat(), "session": str(n.session), "due": n.due.isoformat()}
            for n in overdue_n_codes(this_year, calendar, as_of=as_of)
        ],
        "attendance_return": {
            "continuous_unauthorised_school_days": _number(run.school_days),
            "due": any(e.due for e in absences),
            "episodes": [_return_episode(e) for e in absences],
        },
        "sickness_return": {
            "illness_school_days": _number(illness_days),
            "due": any(e.due for e in sicknesses) or illness_in_age >= SICKNESS_RETURN_SESSIONS,
            "episodes": [_return_episode(e) for e in sicknesses],
        },
    }
