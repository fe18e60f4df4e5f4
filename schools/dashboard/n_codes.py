"""N codes awaiting a reason (KSAH §13, §17)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from schools.calendar import CalendarRangeError
from schools.code_tables import IS_N
from schools.dashboard.school_year import PupilInfo, SchoolYear
from schools.rules import n_code_due


@dataclass(frozen=True)
class NCodeAwaiting:
    pupil: PupilInfo
    day: date
    session: str  # "AM" / "PM"
    due: date | None  # the 5th school day after; None if the calendar does not reach it
    overdue_school_days: int  # school days since the due date passed; 0 if not overdue

    @property
    def overdue(self) -> bool:
        return self.overdue_school_days > 0


def n_codes_awaiting(data: SchoolYear) -> list[NCodeAwaiting]:
    """Every session still coded N on the register, oldest first (pupils on roll or not)."""
    if data.last_slot < 0:
        return []
    rows, slots = np.nonzero(IS_N[data.codes[:, : data.last_slot + 1]])
    due_by_day: dict[date, date | None] = {}
    found = []
    for row, slot in sorted(
        zip(rows.tolist(), slots.tolist(), strict=True),
        key=lambda item: (item[1], data.pupils[item[0]].sort_name),
    ):
        day = data.year_start + timedelta(days=slot // 2)
        if day not in due_by_day:
            try:
                due_by_day[day] = n_code_due(data.calendar, day)
            except CalendarRangeError:
                due_by_day[day] = None
        due = due_by_day[day]
        overdue = 0
        if due is not None and data.as_of > due:
            overdue = data.calendar.count_school_days(due + timedelta(days=1), data.as_of)
            overdue = max(overdue, 1)  # past the due date, even if no school day since
        found.append(
            NCodeAwaiting(data.pupils[row], day, "AM" if slot % 2 == 0 else "PM", due, overdue)
        )
    return found
