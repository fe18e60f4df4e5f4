"""N codes awaiting a reason (KSAH §13, §17)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

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


def _name_ranks(data: SchoolYear) -> npt.NDArray[np.int64]:
    """Each pupil's place in name order (equal names share a place)."""
    names = [pupil.sort_name for pupil in data.pupils]
    place = {name: n for n, name in enumerate(sorted(set(names)))}
    return np.array([place[name] for name in names], dtype=np.int64)


def n_codes_awaiting(data: SchoolYear) -> list[NCodeAwaiting]:
    """Every session still coded N on the register, oldest first (pupils on roll or not),
    then by pupil name."""
    if data.last_slot < 0:
        return []
    rows, slots = np.nonzero(IS_N[data.codes[:, : data.last_slot + 1]])
    if rows.size == 0:
        return []
    # By slot, then name; the same name on the same slot in register order (a stable sort).
    order = np.lexsort((rows, _name_ranks(data)[rows], slots))
    by_day: dict[int, tuple[date, date | None, int]] = {}
    found = []
    for row, slot in zip(rows[order].tolist(), slots[order].tolist(), strict=True):
        day_index = slot // 2
        if day_index not in by_day:
            day = data.year_start + timedelta(days=day_index)
            try:
                due = n_code_due(data.calendar, day)
            except CalendarRangeError:
                due = None
            overdue = 0
            if due is not None and data.as_of > due:
                overdue = data.calendar.count_school_days(due + timedelta(days=1), data.as_of)
                overdue = max(overdue, 1)  # past the due date, even if no school day since
            by_day[day_index] = (day, due, overdue)
        day, due, overdue = by_day[day_index]
        found.append(
            NCodeAwaiting(data.pupils[row], day, "AM" if slot % 2 == 0 else "PM", due, overdue)
        )
    return found
