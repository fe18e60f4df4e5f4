"""Builds each school's `SchoolCalendar` from its term dates, closures and register.

The arithmetic lives in `schools.calendar` (the one calendar); this module only reads rows.
A school's calendar for the rules is its term dates (the LA's, or its own), less England
bank holidays and its INSET and closure days, plus every day on which it recorded a
possible-session mark for any pupil (DOMAIN §13; docs/readings.md "Marks on days the
calendar does not know"). Whole-school `#`/`Y4` days are removed by the callers that hold
the school's code arrays (`schools.register_arrays.closure_days`).

Finding the marked days probes the marks table. The evaluation does it anyway, after each
import's follow-up and each night, and stores what it found (`SchoolMarkedDays`); pages read
the stored days (`stored_calendar_for_school`) and never the marks (issue 14).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Final

from django.utils import timezone

from schools.calendar import (
    SchoolCalendar,
    academic_year_bounds,
    academic_year_of,
    days_outside_terms,
    england_bank_holidays,
    school_days_from_terms,
)
from schools.codes import ALL_CODES
from schools.models import Mark, SchoolMarkedDays, TermDate

# Attendance and absence codes: a session the school held for the pupil (DOMAIN §2).
POSSIBLE_CODES: Final = tuple(
    sorted(code for code, meaning in ALL_CODES.items() if meaning.possible)
)


def _years_span(academic_years: Iterable[int]) -> tuple[date, date] | None:
    years = sorted(set(academic_years))
    if not years:
        return None
    return academic_year_bounds(years[0])[0], academic_year_bounds(years[-1])[1]


def term_calendars_for_schools(
    school_ids: Iterable[int], academic_years: Iterable[int]
) -> dict[int, SchoolCalendar]:
    """From term dates alone. One query for all the schools: the LA's terms plus each
    school's own rows."""
    ids = set(school_ids)
    span = _years_span(academic_years)
    if span is None:
        return {school_id: SchoolCalendar(frozenset()) for school_id in ids}
    first, last = span
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
    bank_holidays = england_bank_holidays(range(first.year, last.year + 2))
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


def _marked_days_outside(
    calendars: dict[int, SchoolCalendar], span: tuple[date, date]
) -> dict[int, list[date]]:
    """Per school, days with a possible-session mark that its term calendar lacks.

    One query per distinct term calendar (schools mostly share the LA's), probing only the
    days that calendar lacks, through the register's (school, date, ...) key.
    """
    first, last = span
    every_day = {first + timedelta(days=n) for n in range((last - first).days + 1)}
    groups: dict[SchoolCalendar, list[int]] = defaultdict(list)
    for school_id, calendar in calendars.items():
        groups[calendar].append(school_id)
    found: dict[int, set[date]] = defaultdict(set)
    for calendar, school_ids in groups.items():
        outside = sorted(every_day - calendar.school_days)
        rows = (
            Mark.objects.filter(school_id__in=school_ids, date__in=outside)
            .filter(code__in=POSSIBLE_CODES)
            .values_list("school_id", "date")
            .distinct()
        )
        for school_id, day in rows:
            found[school_id].add(day)
    return {
        school_id: days_outside_terms(found[school_id], calendars[school_id].school_days)
        for school_id in calendars
    }


def calendars_for_schools(
    school_ids: Iterable[int], academic_years: Iterable[int]
) -> dict[int, SchoolCalendar]:
    """Each school's calendar for the rules: term days plus days it recorded marks on."""
    return _calendars_and_extra(school_ids, academic_years)[0]


def _calendars_and_extra(
    school_ids: Iterable[int], academic_years: Iterable[int]
) -> tuple[dict[int, SchoolCalendar], dict[int, list[date]]]:
    years = list(academic_years)
    calendars = term_calendars_for_schools(school_ids, years)
    span = _years_span(years)
    if span is None or not calendars:
        return calendars, {school_id: [] for school_id in calendars}
    extra = _marked_days_outside(calendars, span)
    return (
        {school_id: cal.including(extra[school_id]) for school_id, cal in calendars.items()},
        extra,
    )


def calendar_for_school(school_id: int, academic_years: Iterable[int]) -> SchoolCalendar:
    return calendars_for_schools([school_id], academic_years)[school_id]


# --- the stored marked days -----------------------------------------------------------------
def marked_days_save(extra: Mapping[int, Iterable[date]], academic_years: Iterable[int]) -> int:
    """Store each school's marked days outside its terms, one row per school and year (an
    empty list too: "none" is known). One read and at most one upsert; rows that already
    hold the same days are not written. Returns rows written."""
    years = sorted(set(academic_years))
    desired: dict[tuple[int, int], list[str]] = {
        (school_id, year): [] for school_id in extra for year in years
    }
    for school_id, days in extra.items():
        for day in sorted(set(days)):
            key = (school_id, academic_year_of(day))
            if key in desired:
                desired[key].append(day.isoformat())
    if not desired:
        return 0
    stored = {
        (school_id, year): days
        for school_id, year, days in SchoolMarkedDays.objects.filter(
            school_id__in=list(extra), academic_year__in=years
        ).values_list("school_id", "academic_year", "days")
    }
    now = timezone.now()
    changed = [
        SchoolMarkedDays(school_id=school_id, academic_year=year, days=days, updated_at=now)
        for (school_id, year), days in sorted(desired.items())
        if stored.get((school_id, year)) != days
    ]
    if changed:
        SchoolMarkedDays.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["school", "academic_year"],
            update_fields=["days", "updated_at"],
        )
    return len(changed)


def calendar_for_school_refresh(school_id: int, academic_years: Iterable[int]) -> SchoolCalendar:
    """`calendar_for_school`, storing the marked days it found for the pages to read: the
    evaluation's calendar (after each import's follow-up and each night)."""
    years = list(academic_years)
    calendars, extra = _calendars_and_extra([school_id], years)
    marked_days_save(extra, years)
    return calendars[school_id]


def _stored_marked_days(school_id: int, years: list[int]) -> list[date] | None:
    """The stored marked days of these years, or None when a year has none stored yet."""
    rows = dict(
        SchoolMarkedDays.objects.filter(school_id=school_id, academic_year__in=years).values_list(
            "academic_year", "days"
        )
    )
    if set(rows) != set(years):
        return None
    return [date.fromisoformat(day) for year in sorted(rows) for day in rows[year]]


def stored_calendar_for_school(school_id: int, academic_years: Iterable[int]) -> SchoolCalendar:
    """The school's calendar for pages: its term days plus the marked days the last
    evaluation stored, without reading the marks. A year the evaluation has not yet seen
    (a school never evaluated) is worked out from the marks, as `calendar_for_school`."""
    years = sorted(set(academic_years))
    stored = _stored_marked_days(school_id, years)
    if stored is None:
        return calendar_for_school(school_id, years)
    return term_calendars_for_schools([school_id], years)[school_id].including(stored)


def marked_days_outside_terms(*, school_id: int, academic_years: Iterable[int]) -> list[date]:
    """The days a school recorded a possible-session mark on that its term dates do not know,
    in order: school days all the same (see the module note), shown to the school as a
    warning. The stored days when the evaluation has seen every year asked for, else from
    the marks. The caller has already scoped the school to the user."""
    years = sorted(set(academic_years))
    span = _years_span(years)
    if span is None:
        return []
    stored = _stored_marked_days(school_id, years)
    if stored is not None:
        return stored
    calendars = term_calendars_for_schools([school_id], years)
    return _marked_days_outside(calendars, span)[school_id]
