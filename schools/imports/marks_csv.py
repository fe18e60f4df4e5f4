"""Register marks CSV: `urn,upn,date,session,mark`, one row per pupil and session.

Python only reads the rows (checking each field's form, and each distinct code/date pair
against the code set in force on that date, once); schools, pupils, enrolments and
duplicates are checked as sets by `marks_store` on the staged rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, BinaryIO

from django.conf import settings
from django.utils import timezone

from schools.codes import CODE_SET_CHANGE_DATE, UnknownCode, lookup
from schools.imports.common import (
    BAD_DATE,
    OTHER_SCHOOL,
    REQUIRED,
    Counts,
    Outcome,
    Prepared,
    RowError,
    RowErrors,
    open_csv,
)
from schools.imports.input_rules import register_date_problem
from schools.imports.marks_checks import marks_off_calendar
from schools.imports.marks_store import MarkStaging, StageRow
from schools.models import School

COLUMNS = ("urn", "upn", "date", "session", "mark")
SESSIONS = {"AM": 0, "PM": 1}
BAD_SESSION = "session: {value!r} is not AM or PM"
BAD_MARK = "mark: {reason}"
UNKNOWN_CODE = "{code!r} is not a register code on {on} (the {set_name} code set applies)"
NEWER_MARKS = (
    "{count:,} mark(s) were not applied because newer marks arrived: a file received after "
    "this one had already changed those sessions, and its marks were kept"
)


class MarksReader:
    """Streams a marks CSV as staging rows, collecting every row error on the way."""

    def __init__(self, data: BinaryIO | bytes, *, school: School | None = None) -> None:
        self.table = open_csv(data, required=COLUMNS)
        self.school_urn = school.urn if school is not None else None
        self.today = timezone.localdate()
        self.errors = RowErrors()
        self.rows_total = 0

    def rows(self) -> Iterator[StageRow]:
        col = self.table.columns
        i_urn, i_upn, i_date, i_session, i_mark = (col[c] for c in COLUMNS)
        errors = self.errors
        own_urn = self.school_urn
        dates: dict[str, date | None] = {}
        codes: dict[tuple[str, str], str | None] = {}  # (code, date) -> reason or None
        strings: dict[str, str] = {}  # one str object per distinct URN/date/code
        out_of_bounds: dict[str, str] = {}  # date text -> why no mark may be taken on it
        first_year = settings.REGISTER_FIRST_YEAR
        for line, fields in self.table.rows(errors):
            self.rows_total += 1
            urn = strings.setdefault(fields[i_urn].strip(), fields[i_urn].strip())
            upn = fields[i_upn].strip().upper()
            day_text = fields[i_date].strip()
            session = SESSIONS.get(fields[i_session].strip().upper())
            code = fields[i_mark].strip().upper()
            ok = True
            if not urn:
                errors.append(RowError(line, REQUIRED.format(column="urn")))
                ok = False
            elif own_urn is not None and urn != own_urn:
                errors.append(RowError(line, OTHER_SCHOOL.format(value=urn, urn=own_urn)))
                ok = False
            if not upn:
                errors.append(RowError(line, REQUIRED.format(column="upn")))
                ok = False
            if day_text in dates:
                day = dates[day_text]
            else:
                day = dates[day_text] = _iso_date(day_text)
                if day is not None and (
                    bound := register_date_problem(day, today=self.today, first_year=first_year)
                ):
                    out_of_bounds[day_text] = bound
            if day is None:
                errors.append(RowError(line, BAD_DATE.format(column="date", value=day_text)))
                ok = False
            elif day_text in out_of_bounds:
                errors.append(RowError(line, out_of_bounds[day_text]))
                ok = False
            if session is None:
                errors.append(RowError(line, BAD_SESSION.format(value=fields[i_session].strip())))
                ok = False
            if not code:
                errors.append(RowError(line, REQUIRED.format(column="mark")))
                ok = False
            elif day is not None:
                key = (code, day_text)
                if key in codes:
                    reason = codes[key]
                else:
                    reason = codes[key] = _code_problem(code, day)
                if reason is not None:
                    errors.append(RowError(line, BAD_MARK.format(reason=reason)))
                    ok = False
            if ok:
                yield (
                    line,
                    urn,
                    upn,
                    strings.setdefault(day_text, day_text),
                    session,
                    strings.setdefault(code, code),
                )  # type: ignore[misc]


def _iso_date(text: str) -> date | None:
    if len(text) != 10:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _code_problem(code: str, on: date) -> str | None:
    try:
        lookup(code, on)
    except UnknownCode:
        return UNKNOWN_CODE.format(
            code=code, on=on, set_name="2024" if on >= CODE_SET_CHANGE_DATE else "pre-2024"
        )
    return None


class MarksImport(Prepared):
    """Staged and checked inside the caller's transaction; `close()` drops the staging.

    `school` without `authority`: a school's own upload, which is told only that a UPN is
    not enrolled at the school, never whether the pupil exists elsewhere (issue 10 item 3).
    """

    def __init__(
        self, data: BinaryIO | bytes, *, school: School | None = None, authority: bool = False
    ) -> None:
        reader = MarksReader(data, school=school)
        self.staging = MarkStaging()
        try:
            self.staging.load(reader.rows())
            own_school = school is not None and not authority
            self.errors = self.staging.resolve(own_school=own_school, errors=reader.errors)
            self.warnings = [] if self.errors else marks_off_calendar(self.staging)
        except BaseException:
            self.staging.close()
            raise
        self.rows_total = reader.rows_total

    def preview(self) -> dict[str, Any]:
        counts = Counts()
        counts.data["marks"] = self.staging.diff().as_counts()
        return counts.as_dict()

    def apply(self, batch: Any) -> Outcome:
        diff, touched = self.staging.apply(batch_id=batch.pk)
        if diff.newer:
            self.warnings.append(RowError(0, NEWER_MARKS.format(count=diff.newer)))
        counts = Counts()
        counts.data["marks"] = diff.as_counts()
        return Outcome(
            counts=counts.as_dict(), rows_done=diff.added + diff.changed, touched=touched
        )

    def close(self) -> None:
        self.staging.close()
