"""The authority's reports (issue 13 item 6; docs/returns.md "Reports"): returns per period
per school; deletion returns by ground, school and month; and the schools whose Year 11
deletions before the spring census stand out against the county's rate. Scoped to the user's
schools; a few queries whatever the number of pupils."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone

from kpas.base.models import User
from returns import report_rules
from returns.deletion_facts import DeletionReturnFact, deletion_returns_since
from returns.models import ReturnEntry, ReturnPeriod
from returns.selectors import (
    STATUS_LABELS,
    entry_facts_by_period,
    period_status,
    schools_in_view,
)
from schools.calendar import academic_year_bounds
from schools.models import Enrolment, School

YEAR_11 = ("11", "Y11")


@dataclass
class PeriodRow:
    school: School
    period: ReturnPeriod
    status: str
    to_return: int
    returned: int
    returned_late: int
    not_needed: int

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def returns_per_period(
    user: User, *, today: date, area: str = "", district: str = ""
) -> list[PeriodRow]:
    """Every period of every school in view, newest first, with what was returned."""
    periods = list(
        ReturnPeriod.objects.filter(
            school__in=schools_in_view(user, area=area, district=district), starts__lte=today
        ).select_related("school__district__area")
    )
    entries = entry_facts_by_period([p.pk for p in periods])
    rows = []
    for period in periods:
        mine = entries[period.pk]
        returned = [e for e in mine if e.status == ReturnEntry.Status.RETURNED]
        rows.append(
            PeriodRow(
                school=period.school,
                period=period,
                status=period_status(mine, today),
                to_return=sum(1 for e in mine if e.status == ReturnEntry.Status.DUE),
                returned=len(returned),
                returned_late=sum(
                    1
                    for e in returned
                    if e.returned_at and e.due_on and timezone.localdate(e.returned_at) > e.due_on
                ),
                not_needed=sum(1 for e in mine if e.status == ReturnEntry.Status.NOT_NEEDED),
            )
        )
    return sorted(rows, key=lambda r: (-r.period.starts.toordinal(), r.school.name))


@dataclass
class DeletionCounts:
    by_ground: list[tuple[str, int]]
    by_school: list[tuple[School, int]]
    by_month: list[tuple[str, int]]  # "2025-11"
    total: int


def deletions_for(
    user: User, *, academic_year: int, area: str = "", district: str = ""
) -> DeletionCounts:
    """Deletion returns (DFD pathway 4) for deletions dated in the school year, counted by
    ground, school and month of deletion (the day sent when no date was given)."""
    start, end = academic_year_bounds(academic_year)
    schools = {s.pk: s for s in schools_in_view(user, area=area, district=district)}
    found: list[DeletionReturnFact] = [
        r
        for r in deletion_returns_since(start)
        if r.school_id in schools and start <= (r.deletion_date or r.sent_on) < end
    ]
    grounds = Counter(r.ground or "none given" for r in found)
    by_school = Counter(r.school_id for r in found)
    months = Counter(f"{(r.deletion_date or r.sent_on):%Y-%m}" for r in found)
    return DeletionCounts(
        by_ground=sorted(grounds.items()),
        by_school=sorted(
            ((schools[pk], n) for pk, n in by_school.items() if pk is not None),
            key=lambda item: (-item[1], item[0].name),
        ),
        by_month=sorted(months.items()),
        total=len(found),
    )


@dataclass
class StandoutRow:
    school: School
    deletions: int
    roll: int
    rate: float | None
    stands_out: bool


@dataclass
class Standout:
    census_day: date
    window_start: date
    county_deletions: int
    county_roll: int
    county_rate: float | None
    factor: float
    minimum: int
    rows: list[StandoutRow]


def year11_standout_for(
    user: User, *, academic_year: int, area: str = "", district: str = ""
) -> Standout:
    """Year 11 pupils taken off each school's roll (enrolment ended in the register) from
    1 September to the spring census day, per Year 11 pupil on roll in that window, against
    the county's rate over every school (the filters narrow the rows, not the county)."""
    census = report_rules.spring_census_day(academic_year)
    window_start = date(academic_year, 9, 1)
    factor = float(getattr(settings, "RETURNS_STANDOUT_FACTOR", report_rules.STANDOUT_FACTOR))
    minimum = int(getattr(settings, "RETURNS_STANDOUT_MINIMUM", report_rules.STANDOUT_MINIMUM))
    year11 = (
        Enrolment.objects.filter(year_group__in=YEAR_11, start_date__lte=census)
        .exclude(end_date__lt=window_start)
        .exclude(registration=Enrolment.Registration.DUAL_SUBSIDIARY)
        .values_list("school_id", "end_date")
    )
    roll: Counter[int] = Counter()
    deleted: Counter[int] = Counter()
    for school_id, end in year11:
        roll[school_id] += 1
        if end is not None and window_start <= end <= census:
            deleted[school_id] += 1
    county_count, county_roll = sum(deleted.values()), sum(roll.values())
    rows = []
    for school in schools_in_view(user, area=area, district=district).filter(pk__in=list(roll)):
        count, on_roll = deleted[school.pk], roll[school.pk]
        rows.append(
            StandoutRow(
                school=school,
                deletions=count,
                roll=on_roll,
                rate=report_rules.rate(count, on_roll),
                stands_out=report_rules.stands_out(
                    count=count,
                    roll=on_roll,
                    county_count=county_count,
                    county_roll=county_roll,
                    factor=factor,
                    minimum=minimum,
                ),
            )
        )
    rows.sort(key=lambda r: (not r.stands_out, -(r.rate or 0), r.school.name))
    return Standout(
        census_day=census,
        window_start=window_start,
        county_deletions=county_count,
        county_roll=county_roll,
        county_rate=report_rules.rate(county_count, county_roll),
        factor=factor,
        minimum=minimum,
        rows=rows,
    )
