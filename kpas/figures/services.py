"""Refreshing one school's precomputed figures (run after its nightly evaluation)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

import numpy as np
from django.db import transaction

from kpas.figures.models import COHORTS, SchoolFigures, SchoolWeekFigures
from schools.calendar import academic_year_bounds, census_term_of
from schools.dashboard.figures import (
    WeekFigures,
    prior_weeks,
    rates_of,
    school_attendance,
    weekly_figures,
)
from schools.models import School

# The DfE counts pupils aged 5 to 15 at the start of the school year (31 August before it).
FIRST_AGE: Final = 5
LAST_AGE: Final = 15


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def school_figures_refresh(*, school_id: int, as_of: date) -> int:
    """Rewrite the school's rows for the year it is showing. Idempotent. Returns rows."""
    school = School.objects.get(pk=school_id)
    attendance = school_attendance(school, as_of=as_of)
    data = attendance.data
    if attendance.year is None or attendance.recent is None:
        return 0
    census = academic_year_bounds(data.year)[0] - timedelta(days=1)
    compulsory = np.fromiter(
        (FIRST_AGE <= _age_on(p.date_of_birth, census) <= LAST_AGE for p in data.pupils),
        dtype=bool,
        count=len(data.pupils),
    )
    behind = 0
    if data.data_date is not None:
        behind = data.calendar.count_school_days(
            data.data_date + timedelta(days=1), data.as_of - timedelta(days=1)
        )
    prior = prior_weeks(data)  # the 4 school weeks before the recent 4: the trend's base
    desired: dict[str, dict[str, object]] = {}
    for cohort, _ in COHORTS:
        mask = compulsory if cohort == "all" else compulsory & data.flag(cohort)
        year, recent = (
            rates_of(attendance.year.counts, mask),
            rates_of(attendance.recent.counts, mask),
        )
        before = rates_of(prior.counts, mask) if prior is not None else None
        desired[cohort] = {
            "as_of": data.as_of,
            "data_date": data.data_date,
            "school_days_behind": behind,
            "pupils": year.pupils,
            "possible": year.possible,
            "attendance": year.attendance,
            "authorised": year.authorised,
            "unauthorised": year.unauthorised,
            "persistent": year.persistent_absentees,
            "severe": year.severe_absentees,
            "recent_possible": recent.possible,
            "recent_attendance": recent.attendance,
            "prior_possible": before.possible if before else 0,
            "prior_attendance": before.attendance if before else 0,
        }
    _save(school, data.year, desired)
    _weeks_refresh(school, data.year, weekly_figures(data, compulsory))
    return len(desired)


def _save(school: School, year: int, desired: dict[str, dict[str, object]]) -> None:
    """One read and at most one upsert for the school's cohorts: only rows that differ are
    written (issue 16: after a county's morning this runs for 600 schools)."""
    fields = list(next(iter(desired.values())))
    stored = {
        row["cohort"]: row
        for row in SchoolFigures.objects.filter(school=school, academic_year=year).values(
            "cohort", *fields
        )
    }
    changed = [
        SchoolFigures(school=school, academic_year=year, cohort=cohort, **values)
        for cohort, values in desired.items()
        if stored.get(cohort) != {"cohort": cohort, **values}
    ]
    if changed:
        SchoolFigures.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["school", "academic_year", "cohort"],
            update_fields=fields,
        )


def _weeks_refresh(school: School, year: int, weeks: list[WeekFigures]) -> None:
    """Replace the school's weeks of the year when they differ from what is stored: one read,
    and nothing written on a re-run with the same register."""
    rows = [
        SchoolWeekFigures(
            school=school,
            academic_year=year,
            monday=week.monday,
            term=census_term_of(week.first_day).value,
            possible=week.possible,
            attendance=week.attendance,
            authorised=week.authorised,
            unauthorised=week.unauthorised,
        )
        for week in weeks
    ]
    fields = ("monday", "term", "possible", "attendance", "authorised", "unauthorised")
    wanted = sorted(tuple(getattr(row, f) for f in fields) for row in rows)
    stored = sorted(
        SchoolWeekFigures.objects.filter(school=school, academic_year=year).values_list(*fields)
    )
    if wanted == stored:
        return
    with transaction.atomic():
        SchoolWeekFigures.objects.filter(school=school, academic_year=year).delete()
        SchoolWeekFigures.objects.bulk_create(rows)
