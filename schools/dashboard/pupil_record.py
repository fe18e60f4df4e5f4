"""One pupil's record at one school: details, parents, enrolments, statistics by year and
census term, the register as a calendar, and alerts (KSAH §13, §17, §25; DOMAIN §2, §13).

Read side only; the caller passes a school and pupil it got through the scoped selectors.
A fixed number of queries whatever the size of the register: the statistics and calendar
come from the pupil's projection arrays (`PupilYearRegister`), never from a query per day.
"""

from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Final

import numpy as np
import numpy.typing as npt

from schools.calendar import (
    CensusTerm,
    SchoolCalendar,
    academic_year_bounds,
    academic_year_label,
    academic_year_of,
    census_term_of,
)
from schools.codes import CODE_BY_ORDINAL, CODE_SET_CHANGE_DATE, Category, UnknownCode, lookup
from schools.dashboard.alert_summary import alert_summary
from schools.dashboard.figures import Rates
from schools.dashboard.school_year import CHARACTERISTICS, year_group_label
from schools.models import Alert, Enrolment, Pupil, PupilParent, PupilYearRegister, School
from schools.register_arrays import SLOTS_PER_YEAR, category_counts, slot_of
from schools.rules import AM, PM, persistent_absence, severe_absence
from schools.school_age import is_compulsory_school_age
from schools.school_calendar import stored_calendar_for_school
from schools.selectors import PupilView

Codes = npt.NDArray[np.uint8]
SESSION_NAMES: Final = ("morning", "afternoon")
CATEGORY_LABELS: Final[dict[str, str]] = {
    Category.PRESENT: "Present",
    Category.APPROVED_ACTIVITY: "Approved educational activity",
    Category.AUTHORISED: "Authorised absence",
    Category.UNAUTHORISED: "Unauthorised absence",
    Category.NOT_POSSIBLE: "Not a possible attendance",
    Category.ADMINISTRATIVE: "Administrative",
}
_BEFORE_CHANGE: Final = CODE_SET_CHANGE_DATE - timedelta(days=1)  # any day of the old set
# Characteristics shown on the record beyond the cohort ones.
OTHER_FLAGS: Final[tuple[tuple[str, str], ...]] = (
    ("previously_looked_after", "Previously looked after"),
    ("known_to_early_help", "Known to Early Help"),
    ("known_to_social_care", "Known to children's social care"),
    ("known_to_youth_offending", "Known to the youth offending team"),
)


@dataclass(frozen=True, kw_only=True)
class PeriodStatistics(Rates):
    """Sessions in one period: the year to date or a census term."""

    label: str
    first_day: date
    last_day: date
    present: int
    approved_activity: int
    not_possible: int

    @property
    def persistent_absence(self) -> bool:
        return persistent_absence(absence=self.absence, possible=self.possible)

    @property
    def severe_absence(self) -> bool:
        return severe_absence(absence=self.absence, possible=self.possible)


@dataclass(frozen=True)
class RecordCell:
    """One session's cell of the register calendar as the record shows it (not the rules'
    `schools.rules.SessionMark`, which is a mark the rules count)."""

    session: str  # "morning" / "afternoon"
    code: str
    category: str  # Category value; the CSS modifier and the key
    meaning: str


@dataclass(frozen=True)
class RegisterDay:
    day: date
    school_day: bool
    marks: tuple[RecordCell | None, RecordCell | None]  # AM, PM

    @property
    def has_marks(self) -> bool:
        return any(self.marks)

    @property
    def description(self) -> str:
        """What a screen reader hears for the day: the date and each session in words."""
        parts = [
            f"{name} {mark.code} {mark.meaning}" if mark else f"{name} no mark"
            for name, mark in zip(SESSION_NAMES, self.marks, strict=True)
        ]
        return f"{self.day:%A %-d %B}: " + ", ".join(parts)

    @property
    def all_present(self) -> bool:
        return all(m is not None and m.category == Category.PRESENT for m in self.marks)


@dataclass(frozen=True)
class RegisterMonth:
    first: date
    days: list[RegisterDay | None]  # 31 entries: None where the month has no such date

    @property
    def label(self) -> str:
        return f"{self.first:%B %Y}"


@dataclass(frozen=True)
class CodeCount:
    code: str
    meaning: str
    category: str
    sessions: int


@dataclass(frozen=True)
class AlertRow:
    alert: Alert
    year_label: str
    summary: str

    @property
    def open(self) -> bool:
        return self.alert.cleared_on is None


@dataclass(frozen=True, eq=False)
class PupilRecord:
    pupil: Pupil
    school: School
    enrolment: Enrolment | None  # the latest enrolment at this school
    enrolments: list[Enrolment]  # only those at schools the reader may see
    parents: list[PupilParent]  # empty when contacts are withheld
    contacts_visible: bool  # false: the pupil moved on beyond the reader's schools
    characteristics: list[str]
    year: int
    years: list[int]  # school years with register data at this school, newest first
    as_of: date
    data_date: date | None
    compulsory_school_age: bool
    year_statistics: PeriodStatistics | None
    terms: list[PeriodStatistics]
    months: list[RegisterMonth]
    codes_used: list[CodeCount]
    alerts: list[AlertRow]

    @property
    def year_label(self) -> str:
        return academic_year_label(self.year)

    @property
    def year_choices(self) -> list[tuple[int, str]]:
        return [(year, academic_year_label(year)) for year in self.years]

    @property
    def year_group(self) -> str:
        return year_group_label(self.enrolment.year_group) if self.enrolment else ""

    @property
    def days_not_present(self) -> list[RegisterDay]:
        """The text alternative to the calendar: every day with a mark other than present."""
        return [
            day
            for month in self.months
            for day in month.days
            if day is not None and day.has_marks and not day.all_present
        ]

    @property
    def open_alerts(self) -> int:
        return sum(1 for row in self.alerts if row.open)


def _mark(ordinal: int, day: date, session: int) -> RecordCell | None:
    if ordinal == 0:
        return None
    return _cell(ordinal, day >= CODE_SET_CHANGE_DATE, session)


@lru_cache(maxsize=256)
def _cell(ordinal: int, current_code_set: bool, session: int) -> RecordCell:
    """A cell depends only on the code, the code set in force and the session: one of
    a few hundred, made once per process rather than for each of a year's 700 sessions."""
    code = CODE_BY_ORDINAL[ordinal]
    try:
        meta = lookup(code, CODE_SET_CHANGE_DATE if current_code_set else _BEFORE_CHANGE)
        meaning, category = meta.description, meta.category.value
    except UnknownCode:  # a code of the other code set: show it as recorded
        meaning, category = "Code not in the code set for this date", Category.ADMINISTRATIVE.value
    return RecordCell(SESSION_NAMES[session], code, category, meaning)


def _statistics(
    codes: Codes, label: str, first: date, last: date, year_start: date
) -> PeriodStatistics:
    counts = category_counts(
        codes, from_slot=slot_of(first, AM, year_start), as_of_slot=slot_of(last, PM, year_start)
    )
    present, approved = int(counts.present[0]), int(counts.approved_activity[0])
    return PeriodStatistics(
        label=label,
        first_day=first,
        last_day=last,
        possible=int(counts.possible[0]),
        attendance=present + approved,
        authorised=int(counts.authorised[0]),
        unauthorised=int(counts.unauthorised[0]),
        present=present,
        approved_activity=approved,
        not_possible=int(counts.not_possible[0]),
    )


def census_terms(year: int) -> list[tuple[CensusTerm, date, date]]:
    """The census terms of a school year with their first and last days (DOMAIN §13)."""
    start, end = academic_year_bounds(year)
    terms: list[tuple[CensusTerm, date, date]] = []
    day = start
    while day <= end:
        term = census_term_of(day)
        if terms and terms[-1][0] == term:
            terms[-1] = (term, terms[-1][1], day)
        else:
            terms.append((term, day, day))
        day += timedelta(days=1)
    return terms


def _months(codes: Codes, calendar: SchoolCalendar, year: int, last: date) -> list[RegisterMonth]:
    """Calendar months from the first with a school day or mark up to `last`."""
    year_start, _ = academic_year_bounds(year)
    marked = np.flatnonzero(codes[: slot_of(last, PM, year_start) + 1])
    firsts = [d for d in (calendar.first_day,) if d is not None and d <= last]
    if marked.size:
        firsts.append(year_start + timedelta(days=int(marked[0]) // 2))
    if not firsts:
        return []
    month = min(firsts).replace(day=1)
    months = []
    while month <= last:
        days: list[RegisterDay | None] = [None] * 31
        for dom in range(1, month_calendar.monthrange(month.year, month.month)[1] + 1):
            day = month.replace(day=dom)
            if day > last:
                break
            base = (day - year_start).days * 2
            days[dom - 1] = RegisterDay(
                day,
                calendar.is_school_day(day),
                (_mark(int(codes[base]), day, 0), _mark(int(codes[base + 1]), day, 1)),
            )
        months.append(RegisterMonth(month, days))
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _codes_used(codes: Codes, year_start: date, last_slot: int) -> list[CodeCount]:
    window = codes[: last_slot + 1]
    counts = np.bincount(window, minlength=256)
    used = []
    for ordinal in np.flatnonzero(counts[1:]).tolist():
        code = CODE_BY_ORDINAL[ordinal + 1]
        first_slot = int(np.flatnonzero(window == ordinal + 1)[0])
        mark = _mark(ordinal + 1, year_start + timedelta(days=first_slot // 2), 0)
        if mark is not None:
            used.append(CodeCount(code, mark.meaning, mark.category, int(counts[ordinal + 1])))
    order = list(CATEGORY_LABELS)
    return sorted(used, key=lambda c: (order.index(c.category), -c.sessions, c.code))


def pupil_record_for(
    view: PupilView, school: School, *, as_of: date, year: int | None = None
) -> PupilRecord:
    """The record of a pupil as the reader may see it (`schools.selectors.pupil_view_for`),
    at a school the reader may see: only the enrolments in the reader's scope, and no
    current address or contacts once the pupil has moved on beyond it."""
    pupil = view.pupil
    registers = dict(
        PupilYearRegister.objects.filter(pupil=pupil, school=school).values_list(
            "academic_year", "codes"
        )
    )
    requested = academic_year_of(as_of)
    years = sorted(registers, reverse=True)
    if year is None or year not in registers:
        year = next((y for y in years if y <= requested), requested)
    year_start, year_end = academic_year_bounds(year)
    as_of = min(as_of, year_end)
    codes = np.zeros(SLOTS_PER_YEAR, dtype=np.uint8)
    if year in registers:
        codes[:] = np.frombuffer(bytes(registers[year]), dtype=np.uint8)
    marked = np.flatnonzero(codes[: slot_of(as_of, PM, year_start) + 1])
    data_date = year_start + timedelta(days=int(marked[-1]) // 2) if marked.size else None
    calendar = stored_calendar_for_school(school.pk, [year])
    last = data_date or as_of

    year_statistics = None
    terms = []
    if data_date is not None:
        year_statistics = _statistics(
            codes[None, :],
            f"{academic_year_label(year)} to date",
            year_start,
            data_date,
            year_start,
        )
        for term, first, term_last in census_terms(year):
            if first <= data_date:
                last_day = min(term_last, data_date)
                statistics = _statistics(
                    codes[None, :], f"{term.value.capitalize()} term", first, last_day, year_start
                )
                if statistics.possible + statistics.not_possible == 0:
                    continue  # not on roll yet, or no register that term
                # Shown from the term's first school day: the census term starts earlier.
                days = calendar.school_days_between(first, last_day)
                terms.append(replace(statistics, first_day=days[0]) if days else statistics)

    enrolments = view.enrolments
    here = [e for e in enrolments if e.school_id == school.pk]
    parents = (
        list(
            PupilParent.objects.filter(pupil=pupil)
            .select_related("parent")
            .order_by("contact_priority", "pk")
        )
        if view.contacts_visible
        else []
    )
    flags = [c.label for c in CHARACTERISTICS if getattr(pupil, c.key)]
    flags += [label for key, label in OTHER_FLAGS if getattr(pupil, key)]
    alerts = [
        AlertRow(alert, academic_year_label(alert.academic_year), alert_summary(alert))
        for alert in Alert.objects.filter(pupil=pupil, school=school).order_by(
            "-raised_on", "kind", "-key"
        )
    ]
    return PupilRecord(
        pupil=pupil,
        school=school,
        enrolment=here[0] if here else None,
        enrolments=enrolments,
        parents=parents,
        contacts_visible=view.contacts_visible,
        characteristics=flags,
        year=year,
        years=years,
        as_of=as_of,
        data_date=data_date,
        compulsory_school_age=is_compulsory_school_age(pupil.date_of_birth, last),
        year_statistics=year_statistics,
        terms=terms,
        months=_months(codes, calendar, year, last) if data_date else [],
        codes_used=_codes_used(codes, year_start, slot_of(last, PM, year_start)),
        alerts=alerts,
    )
