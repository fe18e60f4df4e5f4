"""A CTF's attendance: the AttendanceMarks alphabet, reading the marks, checking the totals.

`CTF_MARK_CHARACTERS` is the one table mapping characters to register codes; see
docs/import-formats.md for where it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from schools.codes import CODE_SET_CHANGE_DATE, Category, UnknownCode, lookup
from schools.imports.common import RowError, RowErrors
from schools.imports.input_rules import register_date_problem

# --- the AttendanceMarks alphabet: ONE table ------------------------------------------------
# One character per session. Single-character register codes stand for themselves (checked
# against the code set in force on the session's date). The codes longer than one character
# and the filler use the characters below. The DfE's own table could not be retrieved when
# this was written (see docs/import-formats.md): this is our documented choice, using
# characters no register code uses. Change it here, and only here, to follow the DfE.
FILLER = "-"  # no session: a weekend, holiday or other day the school did not meet
CTF_MARK_CHARACTERS: dict[str, str | None] = {
    FILLER: None,
    "e": "C1",  # leave for a regulated performance or employment abroad
    "t": "C2",  # part-time timetable
    "j": "J1",  # interview for employment or admission
    **{str(n): f"Y{n}" for n in range(1, 8)},  # Y1-Y7: the digit is the sub-code
}
# Some MIS fill days that are not in session with "#" (the public Aspen exporter does). On a
# weekday "#" is the register code (planned whole-school closure); on a weekend it is filler.
WEEKEND_FILLER = "#"
ODD_MARKS = "pupil {upn}, {year}: AttendanceMarks has {n} characters; it needs two per day"
BAD_MARK_CHARACTER = (
    "pupil {upn}, {year}: AttendanceMarks character {char!r} for {day} {session} "
    "is not a register code on that date (the {set_name} code set applies)"
)
MARKS_OUT_OF_BOUNDS = "pupil {upn}, {year}: AttendanceMarks for {reason}"
TOTAL_MISMATCH = "pupil {upn}, {year}: {element} is {given} but the AttendanceMarks give {counted}"


@dataclass
class CtfYear:
    line: int
    year: str
    lea: str
    estab: str
    totals: dict[str, int]  # element name -> figure, only those the file gives
    marks: list[tuple[date, int, str]]  # (date, session, code), filler skipped


def expand_marks(
    start: date, marks: str, *, upn: str, year: str, line: int, errors: RowErrors | list[RowError]
) -> list[tuple[date, int, str]]:
    """AttendanceMarks -> (date, session, code): AM then PM for each day from `start`. A mark
    after today or before the first school year held refuses the year's marks (issue 15)."""
    if len(marks) % 2:
        errors.append(RowError(line, ODD_MARKS.format(upn=upn, year=year, n=len(marks))))
        return []
    today, first_year = timezone.localdate(), settings.REGISTER_FIRST_YEAR
    out: list[tuple[date, int, str]] = []
    for i, char in enumerate(marks):
        code = CTF_MARK_CHARACTERS.get(char, char)
        if code is None:
            continue
        try:
            day, session = start + timedelta(days=i // 2), i % 2
        except OverflowError:  # past 9999-12-31: far in the future, refused below
            day, session = date.max, i % 2
        if char == WEEKEND_FILLER and day.weekday() >= 5:
            continue
        if problem := register_date_problem(day, today=today, first_year=first_year):
            reason = problem.removeprefix("date: ")
            errors.append(
                RowError(line, MARKS_OUT_OF_BOUNDS.format(upn=upn, year=year, reason=reason))
            )
            return []
        try:
            lookup(code, day)
        except UnknownCode:
            set_name = "2024" if day >= CODE_SET_CHANGE_DATE else "pre-2024"
            errors.append(
                RowError(
                    line,
                    BAD_MARK_CHARACTER.format(
                        upn=upn,
                        year=year,
                        char=char,
                        day=day,
                        session=("AM", "PM")[session],
                        set_name=set_name,
                    ),
                )
            )
            continue
        out.append((day, session, code))
    return out


def check_totals(ctf_year: CtfYear, *, upn: str, errors: RowErrors | list[RowError]) -> None:
    """Refuse figures that disagree with the marks (possible = attended + absences)."""
    counted = {
        "SessionsPossible": 0,
        "SessionsAttended": 0,
        "SessionsAuthorised": 0,
        "SessionsUnauthorised": 0,
    }
    for day, _, code in ctf_year.marks:
        meaning = lookup(code, day)
        if meaning.possible:
            counted["SessionsPossible"] += 1
        if meaning.counts_as_attendance:
            counted["SessionsAttended"] += 1
        elif meaning.category is Category.AUTHORISED:
            counted["SessionsAuthorised"] += 1
        elif meaning.category is Category.UNAUTHORISED:
            counted["SessionsUnauthorised"] += 1
    for element, given in ctf_year.totals.items():
        if given != counted[element]:
            errors.append(
                RowError(
                    ctf_year.line,
                    TOTAL_MISMATCH.format(
                        upn=upn,
                        year=ctf_year.year,
                        element=element,
                        given=given,
                        counted=counted[element],
                    ),
                )
            )
