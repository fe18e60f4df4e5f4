"""The certificate's grid: one row per school week, each day's two sessions, the code key.

Pure functions over dates and codes (no ORM): `build_rows` lays out the marks week by week,
`day_label` says why a weekday has no marks, `code_key` explains every code used.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final

from schools.calendar import SchoolCalendar, week_monday
from schools.codes import (
    CODE_SET_CHANGE_DATE,
    CODES_2024,
    CODES_PRE_2024,
    Category,
    Code,
    UnknownCode,
    lookup,
)

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
                    meaning = meaning_of(code, day)
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


def meaning_of(code: str, day: date) -> Code | None:
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
        meaning = meaning_of(code, on)
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


def days_printed(rows: Iterable[WeekRow | GapRow]) -> dict[date, DayCell]:
    """Every day printed in a week row, by date."""
    return {cell.day: cell for row in rows if isinstance(row, WeekRow) for cell in row.days}
