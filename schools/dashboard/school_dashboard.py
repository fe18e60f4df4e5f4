"""The school dashboard: everything its page and the statistics API show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from schools.dashboard.figures import (
    CohortFigures,
    GroupRates,
    SchoolAttendance,
    WeekFigures,
    characteristic_cohorts,
    rates_of,
    school_attendance,
    weekly_figures,
    year_group_cohorts,
)
from schools.dashboard.n_codes import NCodeAwaiting, n_codes_awaiting
from schools.dashboard.pupil_lists import (
    PupilFigures,
    PupilFilters,
    PupilGroup,
    pupil_figures,
    threshold_alerts,
)
from schools.dashboard.school_year import SchoolYear
from schools.models import School
from schools.national_figures import Benchmark, benchmark_for

SUMMARY_ROWS: Final = 10  # rows of each list shown on the dashboard itself


@dataclass(frozen=True, eq=False)
class Dashboard:
    attendance: SchoolAttendance
    benchmark: Benchmark
    year_to_date: GroupRates | None
    last_four_weeks: GroupRates | None
    on_roll: int
    severe: int
    persistent: int
    at_risk: int
    threshold: list[PupilFigures]  # most recent first
    n_codes: list[NCodeAwaiting]  # oldest first
    weeks: list[WeekFigures]
    characteristic_cohorts: list[CohortFigures]
    year_group_cohorts: list[CohortFigures]
    n_code_pupils: int = 0
    summary_rows: int = SUMMARY_ROWS

    @property
    def data(self) -> SchoolYear:
        return self.attendance.data

    @property
    def n_codes_overdue(self) -> int:
        return sum(1 for n in self.n_codes if n.overdue)


def dashboard_for(school: School, *, as_of: date) -> Dashboard:
    """Everything the dashboard page shows, for a school the caller may see."""
    attendance = school_attendance(school, as_of=as_of)
    data = attendance.data
    benchmark = benchmark_for(
        phase=school.phase, la_number=school.la_code, state_funded=school.state_funded
    )
    if attendance.year is None or attendance.recent is None:
        return Dashboard(
            attendance, benchmark, None, None, len(data.pupils), 0, 0, 0, [], [], [], [], []
        )
    year, recent = attendance.year.counts, attendance.recent.counts
    on_roll = attendance.on_roll
    thresholds = threshold_alerts(data)
    threshold = pupil_figures(
        attendance,
        PupilFilters(
            group=PupilGroup.THRESHOLD, sort="threshold", descending=True, include_leavers=True
        ),
        thresholds=thresholds,
    )
    n_codes = n_codes_awaiting(data)
    return Dashboard(
        attendance=attendance,
        benchmark=benchmark,
        year_to_date=rates_of(year),
        last_four_weeks=rates_of(recent),
        on_roll=int(on_roll.sum()),
        severe=int((year.severe_absence & on_roll).sum()),
        persistent=int((year.persistent_absence & on_roll).sum()),
        at_risk=int((attendance.at_risk & on_roll).sum()),
        threshold=threshold,
        n_codes=n_codes,
        weeks=weekly_figures(data),
        characteristic_cohorts=characteristic_cohorts(attendance),
        year_group_cohorts=year_group_cohorts(attendance),
        n_code_pupils=len({n.pupil.pupil_id for n in n_codes}),
    )
