"""The arithmetic floors the nightly evaluation is compared with in `manage.py bench`.

`numpy_floor`: the project's own kernels (statistics, threshold, runs, N codes) over the
whole county's code arrays held in memory at once: no database, no tasks, no Python per
pupil. `reference_floor`: the fastest plain arithmetic known for the two largest parts
alone (issue 16 item 4), to show whether a kernel leaves speed on the table:

- the year statistics as one `bincount` over (pupil, code) pairs, folded into categories
  by a matrix product;
- the penalty threshold as counting sessions summed per school week, a cumulative sum over
  those weeks and a 10-week difference.

The reference is not the rule: it counts whole weeks where the rule counts from the
Monday of the tenth school week back to the very session (DOMAIN §5 "Precise counting"),
and it ignores the age of the pupil. It is a lower bound on the work, not an alternative.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

import numpy as np
import numpy.typing as npt
from django.db import connection

from schools.benchmark.county import BENCH_YEAR
from schools.calendar import academic_year_bounds
from schools.code_tables import CATEGORY_INDEX, IS_THRESHOLD
from schools.codes import CATEGORIES, ORDINAL_COUNT
from schools.models import School
from schools.register_arrays import (
    SLOTS_PER_YEAR,
    SlotCalendar,
    category_counts,
    overdue_n_counts,
    slot_calendar,
    slot_of,
)
from schools.rules import PENALTY_THRESHOLD_SESSIONS, PM
from schools.run_arrays import illness_sessions, longest_illness_run, longest_unauthorised_run
from schools.school_calendar import calendar_for_school
from schools.threshold_arrays import (
    threshold_first_met,
)

BLOCK = 8192  # pupils per block in the reference (bounded memory)
WINDOW_WEEKS = 10


def _county_arrays(
    schools: list[School], as_of: date
) -> tuple[npt.NDArray[np.uint8], SlotCalendar, int]:
    """(the current year's code arrays of every pupil, the 2-year slot calendar, as-of slot)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT codes FROM schools_pupilyearregister WHERE academic_year = %s "
            "AND school_id = ANY(%s) ORDER BY school_id, pupil_id",
            [BENCH_YEAR, [s.pk for s in schools]],
        )
        current = np.stack([np.frombuffer(bytes(row[0]), dtype=np.uint8) for row in cursor])
    calendar = calendar_for_school(schools[0].pk, [BENCH_YEAR - 1, BENCH_YEAR])
    slots = slot_calendar(calendar, BENCH_YEAR - 1, 2)
    year_start = academic_year_bounds(BENCH_YEAR)[0]
    return current, slots, slot_of(as_of, PM, year_start)


def _timed(parts: dict[str, float], name: str, work: Callable[[], object]) -> None:
    start = time.perf_counter()
    work()
    parts[name] = parts.get(name, 0.0) + time.perf_counter() - start


def numpy_floor(schools: list[School], as_of: date) -> dict[str, float]:
    """The project's kernels over the whole county in memory: seconds per kernel."""
    current, slots, as_of_slot = _county_arrays(schools, as_of)
    before = np.zeros_like(current)
    parts: dict[str, float] = {}
    _timed(parts, "statistics", lambda: category_counts(current, as_of_slot=as_of_slot))
    _timed(
        parts,
        "threshold",
        lambda: threshold_first_met(before, current, slots, as_of_slot=as_of_slot),
    )
    both = np.concatenate([before, current], axis=1)
    window = {"start_slot": SLOTS_PER_YEAR, "end_slot": SLOTS_PER_YEAR + as_of_slot}

    def runs_and_n() -> None:
        longest_unauthorised_run(both, slots, **window)
        longest_illness_run(both, slots, **window)
        illness_sessions(current, as_of_slot=as_of_slot)
        overdue_n_counts(both, slots, as_of=as_of)

    _timed(parts, "runs_and_n", runs_and_n)
    return parts


def _category_matrix() -> npt.NDArray[np.int32]:
    """ordinal x category: 1 where the code counts in that category."""
    matrix = np.zeros((ORDINAL_COUNT, len(CATEGORIES) + 1), dtype=np.int32)
    matrix[np.arange(ORDINAL_COUNT), CATEGORY_INDEX] = 1
    return matrix[:, : len(CATEGORIES)]


def _week_starts(slots: SlotCalendar, stop: int) -> npt.NDArray[np.intp]:
    """The first slot of each school week (a Monday-based week with a school session)."""
    school = np.flatnonzero(slots.school[:stop])
    weeks = (slots.day_ordinal[school] - 1) // 7  # date.toordinal() 1 is a Monday
    first = np.concatenate([[True], weeks[1:] != weeks[:-1]])
    return school[first]


def reference_statistics(
    codes: npt.NDArray[np.uint8], matrix: npt.NDArray[np.int32]
) -> npt.NDArray[np.int64]:
    """Sessions per category for each pupil: one bincount over (pupil, code)."""
    pupils = codes.shape[0]
    index = np.arange(pupils, dtype=np.int64)[:, None] * ORDINAL_COUNT + codes
    per_code = np.bincount(index.ravel(), minlength=pupils * ORDINAL_COUNT)
    return per_code.reshape(pupils, ORDINAL_COUNT) @ matrix


def reference_threshold(
    codes: npt.NDArray[np.uint8], school: npt.NDArray[np.bool_], week_starts: npt.NDArray[np.intp]
) -> npt.NDArray[np.bool_]:
    """Pupils with 10 or more counting sessions in some 10 school weeks (whole weeks)."""
    counting = (IS_THRESHOLD[codes] & school).astype(np.int16)
    per_week = np.add.reduceat(counting, week_starts, axis=1)
    cumulative = np.zeros((codes.shape[0], per_week.shape[1] + 1), dtype=np.int32)
    np.cumsum(per_week, axis=1, out=cumulative[:, 1:])
    windows = cumulative[:, WINDOW_WEEKS:] - cumulative[:, :-WINDOW_WEEKS]
    return np.asarray((windows >= PENALTY_THRESHOLD_SESSIONS).any(axis=1), dtype=np.bool_)


def reference_floor(schools: list[School], as_of: date) -> dict[str, float]:
    """The reference arithmetic for the statistics and the threshold over the county:
    seconds per part, named as numpy_floor's so each kernel is set beside its reference."""
    current, slots, as_of_slot = _county_arrays(schools, as_of)
    stop = as_of_slot + 1
    school = slots.school[SLOTS_PER_YEAR : SLOTS_PER_YEAR + stop]
    offset = SLOTS_PER_YEAR
    week_starts = _week_starts(slots, offset + stop)
    week_starts = week_starts[week_starts >= offset] - offset
    matrix = _category_matrix()
    parts: dict[str, float] = {}
    for first in range(0, current.shape[0], BLOCK):
        block = current[first : first + BLOCK, :stop]
        _timed(parts, "statistics", lambda: reference_statistics(block, matrix))  # noqa: B023
        _timed(parts, "threshold", lambda: reference_threshold(block, school, week_starts))  # noqa: B023
    return parts
