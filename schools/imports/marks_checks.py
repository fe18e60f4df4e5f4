"""What a file's marks tell the school without refusing the file (ImportBatch.warnings).

- Marks on days the school's term dates do not have as school days. The lead's reading of
  DOMAIN §13: any day on which the school recorded a possible-session mark is a school day
  for that school, so such marks are accepted; the school is shown each date, with its
  lines, so it can correct its term dates or its register (issue 10 item 8).
- A CTF's marks that disagree with the school's own register: kept as the school recorded
  them and listed, never applied (DOMAIN §15; issue 10 item 13).
"""

from __future__ import annotations

from datetime import date
from typing import Final

from django.db import connection

from schools.calendar import academic_year_of
from schools.codes import UnknownCode, lookup
from schools.imports.common import RowError
from schools.imports.marks_store import DELTA, RESOLVED, SESSION_NAMES, MarkStaging
from schools.school_calendar import term_calendars_for_schools

LINES_NAMED: Final = 5
NOT_A_SCHOOL_DAY: Final = (
    "date {day} ({weekday}): {count} possible-session mark(s) for a day that is not a school "
    "day in the term dates for URN {urn} (line(s) {lines}); the marks were accepted and the "
    "day counts as a school day for your school. If the school did not meet, correct the "
    "register; if it did, ask the authority to correct the term dates"
)
CTF_DISAGREES: Final = (
    "pupil {upn}: the file gives '{code}' for {day} {session}, but the school's register has "
    "'{kept}'; the register's mark was kept and the file's was not applied"
)


def _possible(code: str, day: date) -> bool:
    try:
        return lookup(code, day).possible
    except UnknownCode:
        return False


def _lines(lines: list[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:LINES_NAMED])
    return shown + (f" and {len(lines) - LINES_NAMED} more" if len(lines) > LINES_NAMED else "")


def marks_off_calendar(staging: MarkStaging) -> list[RowError]:
    """One warning per school and date with a possible-session mark on a day that the
    school's term dates do not make a school day. Set-based: one grouped query and one
    calendar read for all the schools; lines are fetched only for the days found."""
    if not staging.resolved:
        return []
    days: set[tuple[int, str, date]] = set()
    for school_id, urn, day, code in staging._fetch(
        f"SELECT DISTINCT school_id, urn, date, code FROM {RESOLVED}"
    ):
        when = staging._day(day)
        if _possible(code, when):
            days.add((school_id, urn, when))
    if not days:
        return []
    calendars = term_calendars_for_schools(  # term dates only: the days to warn about
        {school_id for school_id, _, _ in days}, {academic_year_of(d) for _, _, d in days}
    )
    outside = sorted(
        (d for d in days if not calendars[d[0]].is_school_day(d[2])), key=lambda d: (d[2], d[1])
    )
    warnings = []
    for school_id, urn, day in outside:
        lines = sorted(
            int(line)
            for line, code in staging._fetch(
                f"SELECT line, code FROM {RESOLVED} WHERE school_id = %s AND date = %s",
                [school_id, connection.ops.adapt_datefield_value(day)],
            )
            if _possible(code, day)
        )
        warnings.append(
            RowError(
                lines[0],
                NOT_A_SCHOOL_DAY.format(
                    day=day,
                    weekday=day.strftime("%A"),
                    count=len(lines),
                    urn=urn,
                    lines=_lines(lines),
                ),
            )
        )
    return warnings


def marks_kept_against_file(staging: MarkStaging) -> list[RowError]:
    """A fill-only file's marks that differ from the register (after `staging.diff()`)."""
    if not staging.fill_only or not staging.dates:
        return []  # (a file without marks has no difference table)
    rows = staging._fetch(
        "SELECT MIN(r.line), r.upn, d.date, d.session, d.code, d.old_code "
        f"FROM {DELTA} d JOIN {RESOLVED} r ON r.school_id = d.school_id "
        "AND r.pupil_id = d.pupil_id AND r.date = d.date AND r.session = d.session "
        "WHERE d.old_code IS NOT NULL "
        "GROUP BY r.upn, d.date, d.session, d.code, d.old_code ORDER BY 1"
    )
    return [
        RowError(
            line,
            CTF_DISAGREES.format(
                upn=upn,
                code=code,
                day=staging._day(day),
                session=SESSION_NAMES[session],
                kept=kept,
            ),
        )
        for line, upn, day, session, code, kept in rows
    ]
