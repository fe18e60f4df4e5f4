"""Registration certificates: a pupil's register printed with its codes, as a court receives it.

The certificate is the evidence in penalty notice and prosecution cases (DOMAIN §2; KSAH
§17, §25). It prints what the school sent — the marks in `schools_mark`, read with the code
set in force on each date — week by week, with the code key, the totals and who produced
it. The authority never edits a register, so nothing here writes a mark.

`certificate_content` gathers everything (a fixed handful of queries, whatever the period);
`registration_certificate_pdf` renders it with WeasyPrint and records the production in the
audit log.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Final

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from kpas.base.audit import audit_record
from kpas.base.models import User
from schools.calendar import (
    SchoolCalendar,
    academic_year_bounds,
    academic_year_of,
    anniversary,
    england_bank_holidays,
    week_monday,
)
from schools.codes import (
    CODE_SET_CHANGE_DATE,
    CODES_2024,
    CODES_PRE_2024,
    Category,
    Code,
    UnknownCode,
    lookup,
)
from schools.models import Enrolment, Mark, MarkChange, Pupil, School, TermDate
from schools.rules import SessionMark, SessionStatistics, attendance_rate, session_statistics
from schools.school_calendar import calendar_for_school

TEMPLATE: Final = "schools/certificate/certificate_pdf.html"
AUDIT_ACTION: Final = "certificate.produced"
MAX_PERIOD_YEARS: Final = 2  # the longest period one certificate covers (two school years)
WEEKDAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
SESSION_NAMES: Final = ("AM", "PM")

# Why a weekday has no marks (labels printed in the grid).
BEFORE_PERIOD: Final = "Outside period"
NOT_ON_ROLL: Final = "Not on roll"
BANK_HOLIDAY: Final = "Bank holiday"
HOLIDAY: Final = "School holiday"
CLOSED: Final = "School closed"

CATEGORY_LABELS: Final = {
    Category.PRESENT: "Present",
    Category.APPROVED_ACTIVITY: "Approved educational activity",
    Category.AUTHORISED: "Authorised absence",
    Category.UNAUTHORISED: "Unauthorised absence",
    Category.NOT_POSSIBLE: "Not a possible session",
    Category.ADMINISTRATIVE: "Administrative",
}
COUNTS_AS: Final = {
    Category.PRESENT: "Attendance",
    Category.APPROVED_ACTIVITY: "Attendance",
    Category.AUTHORISED: "Absence",
    Category.UNAUTHORISED: "Absence",
    Category.NOT_POSSIBLE: "Not counted",
    Category.ADMINISTRATIVE: "Not counted",
}
CODE_SET_2024: Final = "2024 codes"
CODE_SET_PRE_2024: Final = "Codes before 19 August 2024"


# --- what the certificate shows -----------------------------------------------------------
@dataclass(frozen=True)
class SessionCell:
    code: str = ""  # empty: no mark received for this session
    corrected: bool = False


@dataclass(frozen=True)
class DayCell:
    day: date
    label: str = ""  # set when the day has no marks and the school did not meet (or similar)
    am: SessionCell = field(default_factory=SessionCell)
    pm: SessionCell = field(default_factory=SessionCell)

    @property
    def sessions(self) -> tuple[SessionCell, SessionCell]:
        return self.am, self.pm


@dataclass(frozen=True)
class WeekRow:
    monday: date
    days: tuple[DayCell, ...]
    attended: int
    possible: int
    is_gap: bool = False


@dataclass(frozen=True)
class GapRow:
    """Consecutive weeks with no marks and no school days (holidays), printed as one row."""

    first_day: date
    last_day: date
    weeks: int
    label: str
    is_gap: bool = True


@dataclass(frozen=True)
class KeyEntry:
    code: str
    description: str
    category: str
    counts_as: str
    code_set: str
    sessions: int


@dataclass(frozen=True)
class Correction:
    day: date
    session: str
    previous_code: str
    new_code: str
    changed_at: datetime


@dataclass(frozen=True)
class CertificateContent:
    school: School
    pupil: Pupil
    start: date
    end: date
    rows: tuple[WeekRow | GapRow, ...]
    key: tuple[KeyEntry, ...]
    statistics: SessionStatistics
    attendance_rate: Decimal | None
    corrections: tuple[Correction, ...]
    enrolments: tuple[tuple[date, date | None], ...]
    last_mark_date: date | None
    unknown_codes: tuple[str, ...] = ()


# --- pure parts -----------------------------------------------------------------------------
# Why a period cannot be certified (GOV.UK date input error texts; tests import these).
START_IN_FUTURE: Final = "Start date must be today or in the past"
END_IN_FUTURE: Final = "End date must be today or in the past"
END_BEFORE_START: Final = "End date must be the same as or after the start date"
START_BEFORE_ENROLMENT: Final = (
    "Start date must be on or after {date}, when the pupil joined the school"
)
END_AFTER_ENROLMENT: Final = "End date must be on or before {date}, when the pupil left the school"
PERIOD_TOO_LONG: Final = "End date must be less than 2 years after the start date"


def period_problems(
    start: date, end: date, *, today: date, enrolments: Sequence[tuple[date, date | None]]
) -> dict[str, str]:
    """Why a period cannot be certified, by field ('start' or 'end'); empty if it can."""
    problems: dict[str, str] = {}
    first_start = min(s for s, _ in enrolments)
    last_end = _last_day_on_roll(enrolments)
    if start > today:
        problems["start"] = START_IN_FUTURE
    elif start < first_start:
        problems["start"] = START_BEFORE_ENROLMENT.format(date=long_date(first_start))
    if end > today:
        problems["end"] = END_IN_FUTURE
    elif end < start:
        problems["end"] = END_BEFORE_START
    elif last_end is not None and end > last_end:
        problems["end"] = END_AFTER_ENROLMENT.format(date=long_date(last_end))
    elif end >= anniversary(start, MAX_PERIOD_YEARS):
        problems["end"] = PERIOD_TOO_LONG
    return problems


def _last_day_on_roll(enrolments: Sequence[tuple[date, date | None]]) -> date | None:
    """The pupil's last day on roll, or None while they are still on roll."""
    ends = [end for _, end in enrolments]
    if any(end is None for end in ends):
        return None
    return max(end for end in ends if end is not None)


def default_period(
    *, today: date, enrolments: Sequence[tuple[date, date | None]], calendar: SchoolCalendar
) -> tuple[date, date]:
    """The school year to date: from its first school day (or the pupil's first day, if later)
    to today (or the pupil's last day). For a pupil who has left, their last school year."""
    first_start = min(s for s, _ in enrolments)
    last_end = _last_day_on_roll(enrolments)
    end = today if last_end is None else min(today, last_end)
    year_start, year_end = academic_year_bounds(academic_year_of(end))
    days = calendar.school_days_between(year_start, year_end)
    start = days[0] if days and days[0] <= end else year_start
    return max(start, first_start), end


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _on_roll(day: date, enrolments: Sequence[tuple[date, date | None]]) -> bool:
    return any(s <= day and (e is None or day <= e) for s, e in enrolments)


def day_label(
    day: date,
    *,
    start: date,
    end: date,
    calendar: SchoolCalendar,
    bank_holidays: frozenset[date],
    closures: dict[date, str],
    enrolments: Sequence[tuple[date, date | None]],
) -> str:
    """Why a weekday with no marks has none: '' if it was a school day the pupil was on roll."""
    if day < start or day > end:
        return BEFORE_PERIOD
    if not _on_roll(day, enrolments):
        return NOT_ON_ROLL
    if calendar.is_school_day(day):
        return ""
    if day in bank_holidays:
        return BANK_HOLIDAY
    if day in closures:
        return closures[day] or CLOSED
    return HOLIDAY


def build_rows(
    *,
    start: date,
    end: date,
    marks: dict[tuple[date, int], str],
    corrected: set[tuple[date, int]],
    label_for: Any,
) -> tuple[WeekRow | GapRow, ...]:
    """One row per Monday-Friday week; weeks with neither marks nor school days are merged
    into one row per run of the same reason (a half term, the summer holiday)."""
    rows: list[WeekRow | GapRow] = []
    monday = week_monday(start)
    while monday <= end:
        days: list[DayCell] = []
        attended = possible = 0
        for offset in range(len(WEEKDAYS)):
            day = monday + timedelta(days=offset)
            cells = []
            for session in (0, 1):
                code = marks.get((day, session), "")
                cells.append(SessionCell(code, (day, session) in corrected))
                if code:
                    meaning = _meaning(code, day)
                    if meaning is not None and meaning.possible:
                        possible += 1
                        attended += meaning.counts_as_attendance
            has_marks = any(c.code for c in cells)
            label = "" if has_marks else label_for(day)
            days.append(DayCell(day, label, cells[0], cells[1]))
        labels = {d.label for d in days}
        if labels == {BEFORE_PERIOD}:
            pass  # a weekend start or end: no weekday of this week is in the period
        elif all(labels):
            reason = _gap_reason([d.label for d in days])
            first_day, last_day = max(monday, start), min(monday + timedelta(days=4), end)
            last = rows[-1] if rows else None
            if isinstance(last, GapRow) and last.label == reason:
                rows[-1] = GapRow(last.first_day, last_day, last.weeks + 1, reason)
            else:
                rows.append(GapRow(first_day, last_day, 1, reason))
        else:
            rows.append(WeekRow(monday, tuple(days), attended, possible))
        monday += timedelta(days=7)
    return tuple(rows)


def _gap_reason(labels: list[str]) -> str:
    """A whole week without school: holiday, unless something more specific fills it."""
    meaningful = [label for label in labels if label not in (BEFORE_PERIOD, BANK_HOLIDAY)]
    if not meaningful:
        return HOLIDAY
    return Counter(meaningful).most_common(1)[0][0]


def _meaning(code: str, day: date) -> Code | None:
    try:
        return lookup(code, day)
    except UnknownCode:
        return None


def code_key(marks: Iterable[tuple[date, str]]) -> tuple[KeyEntry, ...]:
    """Every code used, with its meaning in the code set in force on the dates it was used."""
    used: Counter[tuple[str, bool]] = Counter()
    for day, code in marks:
        used[(code, day >= CODE_SET_CHANGE_DATE)] += 1
    both_sets = len({new for _, new in used}) > 1
    entries = []
    for (code, new), sessions in used.items():
        on = CODE_SET_CHANGE_DATE if new else CODE_SET_CHANGE_DATE - timedelta(days=1)
        meaning = _meaning(code, on)
        code_set = (CODE_SET_2024 if new else CODE_SET_PRE_2024) if both_sets else ""
        if meaning is None:
            entries.append(
                KeyEntry(
                    code,
                    "Not a register code in the code set in force",
                    "Unknown",
                    "Not counted",
                    code_set,
                    sessions,
                )
            )
            continue
        entries.append(
            KeyEntry(
                code,
                meaning.description,
                CATEGORY_LABELS[meaning.category],
                COUNTS_AS[meaning.category],
                code_set,
                sessions,
            )
        )
    # Newest code set first; within a set, the order of the national code table.
    table_order: dict[str, int] = {}
    for code in (*CODES_2024, *CODES_PRE_2024):
        table_order.setdefault(code, len(table_order))
    entries.sort(
        key=lambda e: (
            e.code_set == CODE_SET_PRE_2024,
            table_order.get(e.code, len(table_order)),
            e.code,
        )
    )
    return tuple(entries)


# --- reading the register -------------------------------------------------------------------
def certificate_content(
    *, pupil: Pupil, school: School, start: date, end: date
) -> CertificateContent:
    """Everything the certificate prints, from one query each for marks, corrections,
    enrolments and the calendar (never a query per day)."""
    marks: dict[tuple[date, int], str] = {
        (day, session): code
        for day, session, code in Mark.objects.filter(
            school=school, pupil=pupil, date__gte=start, date__lte=end
        ).values_list("date", "session", "code")
    }
    changes = tuple(
        Correction(day, SESSION_NAMES[session], previous, new, changed_at)
        for day, session, previous, new, changed_at in MarkChange.objects.filter(
            school=school, pupil=pupil, date__gte=start, date__lte=end
        )
        .order_by("date", "session", "changed_at")
        .values_list("date", "session", "previous_code", "new_code", "changed_at")
    )
    enrolments = tuple(
        Enrolment.objects.filter(pupil=pupil, school=school)
        .order_by("start_date")
        .values_list("start_date", "end_date")
    )
    years = range(academic_year_of(start), academic_year_of(end) + 1)
    calendar = calendar_for_school(school.pk, years)
    closures: dict[date, str] = {}
    for first, last, description, own in (
        TermDate.objects.filter(kind=TermDate.Kind.CLOSURE, start__lte=end, end__gte=start)
        .filter(Q(school__isnull=True) | Q(school=school))
        .values_list("start", "end", "description", "school_id")
    ):
        day = first
        while day <= last:
            if own is not None or day not in closures:  # the school's own reason wins
                closures[day] = description
            day += timedelta(days=1)
    bank_holidays = england_bank_holidays(range(start.year, end.year + 1))

    def label_for(day: date) -> str:
        return day_label(
            day,
            start=start,
            end=end,
            calendar=calendar,
            bank_holidays=bank_holidays,
            closures=closures,
            enrolments=enrolments,
        )

    rows = build_rows(
        start=start,
        end=end,
        marks=marks,
        corrected={(c.day, SESSION_NAMES.index(c.session)) for c in changes},
        label_for=label_for,
    )
    known = [
        (day, session, code)
        for (day, session), code in marks.items()
        if _meaning(code, day) is not None
    ]
    unknown = sorted({code for (day, _), code in marks.items() if _meaning(code, day) is None})
    statistics = session_statistics(
        SessionMark(day, SESSION_NAMES[session], code) for day, session, code in known
    )
    return CertificateContent(
        school=school,
        pupil=pupil,
        start=start,
        end=end,
        rows=rows,
        key=code_key((day, code) for (day, _), code in marks.items()),
        statistics=statistics,
        attendance_rate=attendance_rate(statistics),
        corrections=changes,
        enrolments=enrolments,
        last_mark_date=max((day for day, _ in marks), default=None),
        unknown_codes=tuple(unknown),
    )


# --- the document -----------------------------------------------------------------------------
def producer_description(user: User, school: School) -> dict[str, str]:
    """Who produced the certificate: name, role and the organisation they act for."""
    organisation = school.name if user.is_school_staff else settings.AUTHORITY_NAME
    return {
        "name": user.full_name or user.email,
        "role": user.get_role_display(),
        "organisation": organisation,
    }


def registration_certificate_pdf(
    *, pupil: Pupil, school: School, start: date, end: date, produced_by: User
) -> bytes:
    """The certificate as an A4 PDF; its production is audited (the reference printed on it
    is the audit event's number). Raises nothing for an empty period: it prints no marks."""
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDFs need it

    content = certificate_content(pupil=pupil, school=school, start=start, end=end)
    produced_at = timezone.localtime()
    with transaction.atomic():
        event = audit_record(
            actor=produced_by,
            action=AUDIT_ACTION,
            obj=pupil,
            detail={
                "school": school.urn,
                "upn": pupil.upn,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "possible": content.statistics.possible,
            },
        )
        html = render_to_string(
            TEMPLATE,
            {
                "c": content,
                "weekdays": WEEKDAYS,
                "produced_at": produced_at,
                "producer": producer_description(produced_by, school),
                "authority_name": settings.AUTHORITY_NAME,
                "service_name": settings.SERVICE_NAME,
                "reference": f"RC-{event.pk:06d}",
            },
        )
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def certificate_filename(pupil: Pupil, start: date, end: date) -> str:
    return f"registration-certificate-{pupil.upn}-{start:%Y%m%d}-{end:%Y%m%d}.pdf"


def days_printed(rows: Iterable[WeekRow | GapRow]) -> dict[date, DayCell]:
    """Every day printed in a week row, by date."""
    return {cell.day: cell for row in rows if isinstance(row, WeekRow) for cell in row.days}
