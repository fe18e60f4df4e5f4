"""What a certificate prints, read from the register in a fixed handful of queries.

It prints what the school sent — the marks in `schools_mark`, read with the code set in force
on each date — and every correction with its source (which file changed it: the school's marks
file, a CTF, ...). The authority never edits a register, so nothing here writes a mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Final

from django.db.models import Q

from schools.calendar import academic_year_of, england_bank_holidays
from schools.certificate.grid import (
    SESSION_NAMES,
    GapRow,
    KeyEntry,
    WeekRow,
    build_rows,
    code_key,
    day_label,
    meaning_of,
)
from schools.models import Enrolment, ImportBatch, Mark, MarkChange, Pupil, School, TermDate
from schools.rules import SessionMark, SessionStatistics, attendance_rate, session_statistics
from schools.school_age import compulsory_school_age_end, compulsory_school_age_start
from schools.school_calendar import calendar_for_school

SOURCE_NOT_RECORDED: Final = "Not recorded"
SOURCE_KINDS: Final = dict(ImportBatch.Kind.choices)


@dataclass(frozen=True)
class Correction:
    day: date
    session: str
    previous_code: str
    new_code: str
    changed_at: datetime
    source: str = SOURCE_NOT_RECORDED  # the kind of file that made the change
    source_file: str = ""


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
    # EA96 s.8 (DOMAIN §3): the first and last day of compulsory school age.
    compulsory_from: date
    compulsory_to: date
    unknown_codes: tuple[str, ...] = ()


def corrections_for(
    *, pupil: Pupil, school: School, start: date, end: date
) -> tuple[Correction, ...]:
    """Every correction in the period, oldest first, with the kind of file that made it."""
    return tuple(
        Correction(
            day,
            SESSION_NAMES[session],
            previous,
            new,
            changed_at,
            SOURCE_KINDS.get(kind, kind) if kind else SOURCE_NOT_RECORDED,
            filename or "",
        )
        for day, session, previous, new, changed_at, kind, filename in MarkChange.objects.filter(
            school=school, pupil=pupil, date__gte=start, date__lte=end
        )
        .order_by("date", "session", "changed_at", "pk")
        .values_list(
            "date",
            "session",
            "previous_code",
            "new_code",
            "changed_at",
            "source_import__kind",
            "source_import__filename",
        )
    )


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
    changes = corrections_for(pupil=pupil, school=school, start=start, end=end)
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
        if meaning_of(code, day) is not None
    ]
    unknown = sorted({code for (day, _), code in marks.items() if meaning_of(code, day) is None})
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
        compulsory_from=compulsory_school_age_start(pupil.date_of_birth),
        compulsory_to=compulsory_school_age_end(pupil.date_of_birth),
    )
