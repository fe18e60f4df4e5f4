"""Building small registers for tests: a school with term dates, pupils and marks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from schools.models import Enrolment, Pupil, School, TermDate
from schools.register_store import marks_bulk_insert, years_of
from schools.school_calendar import calendar_for_school
from tests.factories import SchoolFactory

# Two terms either side of the summer, with an autumn half term (27-31 Oct 2025).
TERMS = ((date(2025, 4, 14), date(2025, 7, 22)), (date(2025, 9, 3), date(2025, 12, 19)))
HALF_TERM = (date(2025, 10, 27), date(2025, 10, 31))


def school_with_terms(**fields: object) -> School:
    school = SchoolFactory(**fields)
    for start, end in TERMS:
        TermDate.objects.get_or_create(school=None, start=start, end=end, kind="term")
    TermDate.objects.get_or_create(
        school=None, start=HALF_TERM[0], end=HALF_TERM[1], kind="closure"
    )
    return school


_serial = iter(range(1, 10**6))


def pupil_at(school: School, *, born: date = date(2015, 1, 10), upn: str | None = None) -> Pupil:
    from stdnum.gb import upn as upn_check

    body = f"886{(school.estab or '1234')[:4]:0>4}25{next(_serial) % 1000:03d}"
    pupil = Pupil.objects.create(
        upn=upn or upn_check.calc_check_digit(body) + body,
        forename="Test",
        surname="Pupil",
        date_of_birth=born,
    )
    Enrolment.objects.create(pupil=pupil, school=school, start_date=date(2024, 9, 1))
    return pupil


def school_days(school: School, start: date, end: date) -> list[date]:
    from schools.calendar import academic_year_of

    years = range(academic_year_of(start), academic_year_of(end) + 1)
    return calendar_for_school(school.pk, years).school_days_between(start, end)


def fill(school: School, pupil: Pupil, start: date, end: date, code: str = "/") -> None:
    """Mark every session of every school day from start to end with one code
    (present: / in the morning and \\ in the afternoon)."""
    rows = []
    for day in school_days(school, start, end):
        for session in (0, 1):
            mark = "\\" if code == "/" and session == 1 else code
            rows.append((school.pk, pupil.pk, day, session, mark))
    marks_bulk_insert(rows, years=years_of(r[2] for r in rows))


def set_marks(school: School, pupil: Pupil, marks: Iterable[tuple[date, int, str]]) -> None:
    """Overwrite some sessions (date, 0 AM / 1 PM, code)."""
    from schools.models import Mark

    for day, session, code in marks:
        Mark.objects.filter(school=school, pupil=pupil, date=day, session=session).delete()
        marks_bulk_insert([(school.pk, pupil.pk, day, session, code)], years=years_of([day]))


def weekdays(start: date, count: int) -> list[date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days
