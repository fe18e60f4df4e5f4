"""Builds each school's `SchoolCalendar` from the term dates and closures in the database.

The arithmetic lives in `schools.calendar` (the one calendar); this module only reads rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from schools.calendar import (
    SchoolCalendar,
    academic_year_bounds,
    england_bank_holidays,
    school_days_from_terms,
)
from schools.models import TermDate


def calendars_for_schools(
    school_ids: Iterable[int], academic_years: Iterable[int]
) -> dict[int, SchoolCalendar]:
    """One query for all the schools: the LA's terms plus each school's own rows."""
    ids = set(school_ids)
    years = sorted(set(academic_years))
    if not years:
        return {school_id: SchoolCalendar(frozenset()) for school_id in ids}
    first, _ = academic_year_bounds(years[0])
    _, last = academic_year_bounds(years[-1])
    rows = TermDate.objects.filter(start__lte=last, end__gte=first).filter(
        school_id__in=ids
    ) | TermDate.objects.filter(start__lte=last, end__gte=first, school__isnull=True)
    common_terms: list[tuple[date, date]] = []
    common_closures: list[tuple[date, date]] = []
    terms: dict[int, list[tuple[date, date]]] = defaultdict(list)
    closures: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for school_id, start, end, kind in rows.values_list("school_id", "start", "end", "kind"):
        if school_id is None:
            target = common_terms if kind == TermDate.Kind.TERM else common_closures
            target.append((start, end))
        else:
            (terms if kind == TermDate.Kind.TERM else closures)[school_id].append((start, end))
    bank_holidays = england_bank_holidays(range(years[0], years[-1] + 2))
    return {
        school_id: SchoolCalendar(
            school_days_from_terms(
                # A school with term dates of its own (e.g. an academy) uses them instead.
                terms[school_id] or common_terms,
                common_closures + closures[school_id],
                bank_holidays,
            )
        )
        for school_id in ids
    }


def calendar_for_school(school_id: int, academic_years: Iterable[int]) -> SchoolCalendar:
    return calendars_for_schools([school_id], academic_years)[school_id]
