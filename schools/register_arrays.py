"""Vectorised register rules over compact code arrays: whole schools (or counties) at once.

Layout (DESIGN "Store"; `PupilYearRegister.codes`): one pupil-year is a uint8 array of
`SLOTS_PER_YEAR` = 2 * 366 slots; slot = (date - 1 August).days * 2 + (0 AM / 1 PM); the
value is the code ordinal (`schools.codes.ORDINAL_BY_CODE`, 0 = no mark). A school is a
2-D array, pupils x slots. Consecutive years can be laid side by side (pupils x 2*732, ...);
in a 365-day year the last two slots are padding and never hold a mark.

The calendar enters as a `SlotCalendar`: per-slot arrays derived once from a
`SchoolCalendar` (school-day mask, window starts, N deadlines). Every kernel agrees exactly
with its `schools.rules` counterpart; tests/schools/test_register_arrays.py checks that.
The threshold kernels are in `schools.threshold_arrays`; the run kernels (returns) in
`schools.run_arrays`, the twin of `schools.runs`.
No Python loop runs per pupil: only per block of `PUPIL_BLOCK` pupils, to bound memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, TypeVar

import numpy as np
import numpy.typing as npt

from schools.calendar import (
    CalendarRangeError,
    SchoolCalendar,
    academic_year_bounds,
    academic_year_of,
)
from schools.code_tables import CATEGORY_INDEX, IS_CLOSURE, IS_N
from schools.codes import CATEGORIES, CODE_BY_ORDINAL, NO_MARK, ORDINAL_BY_CODE, lookup
from schools.rules import (
    AM,
    PENALTY_WINDOW_SCHOOL_WEEKS,
    PERSISTENT_ABSENCE_DENOMINATOR,
    PM,
    SESSIONS_PER_SCHOOL_DAY,
    SEVERE_ABSENCE_DENOMINATOR,
    DuplicateMark,
    Session,
    SessionMark,
    n_code_due,
    session_key,
)

DAYS_PER_SLOT_YEAR: Final = 366
SLOTS_PER_YEAR: Final = SESSIONS_PER_SCHOOL_DAY * DAYS_PER_SLOT_YEAR  # 732
PUPIL_BLOCK: Final = 4096  # pupils per block: bounds temporary arrays to tens of MB
NEVER: Final = np.iinfo(np.int32).max  # an N deadline beyond the calendar

Codes = npt.NDArray[np.uint8]
IntArray = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]
# Per pupil, the first and last day of compulsory school age as date.toordinal() (DOMAIN §3):
# rules.compulsory_school_age_period as two arrays. None: every session counts.
AgeOrdinals = tuple[IntArray, IntArray]
T = TypeVar("T", bound=np.generic)


# --- slots -------------------------------------------------------------------------------
def _check_year_start(year_start: date) -> None:
    if (year_start.month, year_start.day) != (8, 1):
        raise ValueError(f"a school year starts on 1 August, not {year_start}")


def slot_of(d: date, session: str, year_start: date) -> int:
    """The slot of a session in the pupil-year array beginning year_start (1 August)."""
    day, offset = session_key(d, session)
    return (day - year_start).days * SESSIONS_PER_SCHOOL_DAY + offset


def slot_session(slot: int, year_start: date) -> tuple[date, Session]:
    """The date and session of a slot."""
    days, offset = divmod(slot, SESSIONS_PER_SCHOOL_DAY)
    return year_start + timedelta(days=days), AM if offset == 0 else PM


def encode_marks(marks: Iterable[SessionMark], year_start: date) -> Codes:
    """One pupil-year as a code array; codes are checked against the set in force on each date."""
    _check_year_start(year_start)
    year_end = academic_year_bounds(year_start.year)[1]
    arr = np.zeros(SLOTS_PER_YEAR, dtype=np.uint8)
    for mark in marks:
        if not year_start <= mark.date <= year_end:
            raise ValueError(f"{mark.date} is outside the school year starting {year_start}")
        code = lookup(mark.code, mark.date).code
        slot = slot_of(mark.date, mark.session, year_start)
        if arr[slot] != NO_MARK:
            raise DuplicateMark(f"two marks for the {mark.session} session of {mark.date}")
        arr[slot] = ORDINAL_BY_CODE[code]
    return arr


def encode_school(pupils: Iterable[Iterable[SessionMark]], year_start: date) -> Codes:
    """A pupils x slots array, one row per pupil in the order given."""
    rows = [encode_marks(marks, year_start) for marks in pupils]
    if not rows:
        return np.zeros((0, SLOTS_PER_YEAR), dtype=np.uint8)
    return np.stack(rows)


def decode(arr: Codes, year_start: date) -> list[SessionMark]:
    """The marks held in one pupil's array, in register order."""
    return [
        SessionMark(*slot_session(int(slot), year_start), CODE_BY_ORDINAL[int(arr[slot])])
        for slot in np.flatnonzero(arr)
    ]


# --- the calendar, per slot --------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class SlotCalendar:
    """Per-slot facts for `years` consecutive school years from 1 August of `first_year`."""

    first_year: int
    years: int
    day_ordinal: IntArray  # date.toordinal() of each slot; 0 for padding slots
    school: BoolArray  # the slot is a session on a school day
    window_start: IntArray  # slot of the Monday AM starting the 10-school-week window (>= 0)
    window_start_ordinal: IntArray  # that Monday as date.toordinal()
    n_due_ordinal: IntArray  # toordinal() of the deadline for an N here; NEVER if unknown

    @property
    def width(self) -> int:
        return self.years * SLOTS_PER_YEAR

    def index(self, d: date, session: str) -> int:
        """The slot of a session in this layout."""
        slot = _layout_slot(self.first_year, d, session)
        if not 0 <= slot < self.width:
            raise ValueError(f"{d} is outside this layout")
        return slot

    def date_at(self, slot: int) -> date:
        return date.fromordinal(int(self.day_ordinal[slot]))


def _layout_slot(first_year: int, d: date, session: str) -> int:
    """The slot of a session in a layout of consecutive school years from first_year."""
    year = academic_year_of(d)
    return (year - first_year) * SLOTS_PER_YEAR + slot_of(d, session, academic_year_bounds(year)[0])


def slot_calendar(calendar: SchoolCalendar, first_year: int, years: int = 1) -> SlotCalendar:
    """Derive the per-slot arrays from a SchoolCalendar (every date fact comes from it)."""
    width = years * SLOTS_PER_YEAR
    day_ordinal = np.zeros(width, dtype=np.int32)
    school = np.zeros(width, dtype=np.bool_)
    window_start = np.zeros(width, dtype=np.int32)  # padding slots: 0, never read
    window_start_ordinal = np.zeros(width, dtype=np.int32)
    n_due = np.full(width, NEVER, dtype=np.int32)
    layout_start = academic_year_bounds(first_year)[0]
    for y in range(years):
        start, end = academic_year_bounds(first_year + y)
        for offset in range((end - start).days + 1):
            d = start + timedelta(days=offset)
            base = y * SLOTS_PER_YEAR + offset * SESSIONS_PER_SCHOOL_DAY
            cells = slice(base, base + SESSIONS_PER_SCHOOL_DAY)
            day_ordinal[cells] = d.toordinal()
            school[cells] = calendar.is_school_day(d)
            window = calendar.window_start_for_school_weeks(d, PENALTY_WINDOW_SCHOOL_WEEKS)
            window_start_ordinal[cells] = window.toordinal()
            # A window starting before the layout clips to slot 0: no marks there to count.
            window_start[cells] = (
                0 if window < layout_start else _layout_slot(first_year, window, AM)
            )
            with suppress(CalendarRangeError):  # a deadline beyond the calendar: not overdue
                n_due[cells] = n_code_due(calendar, d).toordinal()
    return SlotCalendar(
        first_year, years, day_ordinal, school, window_start, window_start_ordinal, n_due
    )


def blocks(pupils: int) -> Iterator[slice]:
    for start in range(0, pupils, PUPIL_BLOCK):
        yield slice(start, min(start + PUPIL_BLOCK, pupils))


def upto(arr: npt.NDArray[T], as_of_slot: int | None, from_slot: int = 0) -> npt.NDArray[T]:
    stop = arr.shape[-1] if as_of_slot is None else as_of_slot + 1
    return arr[..., from_slot:stop]


# --- statistics (DOMAIN §2) ----------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class CategoryCounts:
    """Per-pupil session counts, as rules.SessionStatistics (one array entry per pupil)."""

    possible: IntArray
    present: IntArray
    approved_activity: IntArray
    authorised: IntArray
    unauthorised: IntArray
    not_possible: IntArray
    administrative: IntArray

    @property
    def attendance(self) -> IntArray:
        return self.present + self.approved_activity

    @property
    def absence(self) -> IntArray:
        return self.authorised + self.unauthorised

    @property
    def persistent_absence(self) -> BoolArray:
        """rules.is_persistent_absence for each pupil."""
        return (self.possible > 0) & (
            self.absence * PERSISTENT_ABSENCE_DENOMINATOR >= self.possible
        )

    @property
    def severe_absence(self) -> BoolArray:
        """rules.is_severe_absence for each pupil."""
        return (self.possible > 0) & (self.absence * SEVERE_ABSENCE_DENOMINATOR >= self.possible)


def category_counts(
    arr: Codes, *, as_of_slot: int | None = None, from_slot: int = 0
) -> CategoryCounts:
    """Sessions per statistical category for each pupil over slots from_slot..as_of_slot."""
    categories = CATEGORY_INDEX[upto(np.atleast_2d(arr), as_of_slot, from_slot)]
    counts = {
        category.value: (categories == i).sum(axis=1, dtype=np.int32)
        for i, category in enumerate(CATEGORIES)
    }
    possible = (
        counts["present"]
        + counts["approved_activity"]
        + counts["authorised"]
        + counts["unauthorised"]
    )
    return CategoryCounts(possible=possible, **counts)


# --- N codes (DOMAIN §2; KSAH §13) ---------------------------------------------------------
def overdue_n(arr: Codes, slots: SlotCalendar, *, as_of: date) -> BoolArray:
    """Slots holding an N whose 5th-school-day deadline has passed (rules.overdue_n_codes)."""
    passed = slots.n_due_ordinal < as_of.toordinal()
    return IS_N[np.atleast_2d(arr)] & passed


def overdue_n_counts(arr: Codes, slots: SlotCalendar, *, as_of: date) -> IntArray:
    """How many overdue N sessions each pupil has."""
    arr = np.atleast_2d(arr)
    counts = np.zeros(arr.shape[0], dtype=np.int32)
    for block in blocks(arr.shape[0]):
        counts[block] = overdue_n(arr[block], slots, as_of=as_of).sum(axis=1, dtype=np.int32)
    return counts


# --- whole-school closures (DOMAIN §13) ----------------------------------------------------
def closure_days(arrays: Codes, year_start: date) -> list[date]:
    """Days the school did not meet at all: both sessions whole-school # or Y4.

    A session is whole-school closed when it has marks and every one of them is # or Y4.
    A day with one session held is a school day with one session (DOMAIN §13): it stays.
    """
    if arrays.size == 0:
        return []
    arrays = np.atleast_2d(arrays)
    marked = arrays != NO_MARK
    by_slot = marked.any(axis=0) & (IS_CLOSURE[arrays] | ~marked).all(axis=0)
    by_day = by_slot.reshape(-1, SESSIONS_PER_SCHOOL_DAY).all(axis=1)
    return [year_start + timedelta(days=int(day)) for day in np.flatnonzero(by_day)]
