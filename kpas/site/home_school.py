"""What a school's home page shows beside its to-do list: its figures against its own
attendance target, and how fresh its register is (KSAH §13, §25)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

from django.db.models import Max

from schools.calendar import academic_year_of
from schools.dashboard.figures import GroupRates, rates_of, school_attendance
from schools.models import Mark, School
from schools.rules import below_attendance_target
from schools.school_calendar import stored_calendar_for_school

# Registers come in daily: more than this many school days without a new day is stale.
STALE_AFTER_SCHOOL_DAYS: Final = 2


@dataclass(frozen=True)
class Freshness:
    data_date: date | None
    school_days_behind: int  # school days after data_date up to today

    @property
    def stale(self) -> bool:
        return self.data_date is None or self.school_days_behind > STALE_AFTER_SCHOOL_DAYS

    @property
    def sentence(self) -> str:
        """'figures to 20 November: 9 school days ago'."""
        if self.data_date is None:
            return "No register has been received yet"
        if self.school_days_behind == 0:
            return f"Figures to {self.data_date:%-d %B}: up to date"
        plural = "s" if self.school_days_behind != 1 else ""
        return (
            f"Figures to {self.data_date:%-d %B}: {self.school_days_behind} school day{plural} ago"
        )


def register_freshness(school: School, *, today: date) -> Freshness:
    """The last day with any register mark, and how many school days have passed since."""
    last = Mark.objects.filter(school=school, date__lte=today).aggregate(last=Max("date"))["last"]
    if last is None:
        return Freshness(None, 0)
    years = range(academic_year_of(last), academic_year_of(today) + 1)
    calendar = stored_calendar_for_school(school.pk, years)
    # School days after the data date, up to yesterday: today's register may not be in yet.
    behind = calendar.count_school_days(last + timedelta(days=1), today - timedelta(days=1))
    return Freshness(last, behind)


@dataclass(frozen=True)
class TargetSummary:
    target: Decimal
    year_to_date: GroupRates | None
    period: str

    @property
    def below_target(self) -> bool | None:
        rates = self.year_to_date
        if rates is None or not rates.possible:
            return None
        return below_attendance_target(
            attendance=rates.attendance, possible=rates.possible, target=self.target
        )


def target_summary(school: School, *, today: date) -> TargetSummary:
    attendance = school_attendance(school, as_of=today)
    rates = rates_of(attendance.year.counts) if attendance.year else None
    period = attendance.data.label if attendance.year else ""
    return TargetSummary(school.attendance_target, rates, period)
