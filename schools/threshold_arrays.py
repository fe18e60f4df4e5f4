"""The penalty-notice threshold over code arrays (DOMAIN §5 "Precise counting"): the twin
of `schools.rules.penalty_threshold` and `penalty_threshold_episodes`, for whole schools at
once. Layout and calendar as in `schools.register_arrays`; tests/schools/test_register_arrays.py
checks every kernel here against its rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from schools.code_tables import IS_THRESHOLD
from schools.register_arrays import (
    SLOTS_PER_YEAR,
    AgeOrdinals,
    BoolArray,
    Codes,
    IntArray,
    SlotCalendar,
    blocks,
)
from schools.rules import PENALTY_THRESHOLD_SESSIONS


# --- penalty threshold (DOMAIN §5 "Precise counting") --------------------------------------
def age_mask(
    slots: SlotCalendar,
    age: AgeOrdinals | None,
    rows: slice,
    columns: npt.NDArray[np.integer] | None = None,
) -> BoolArray | bool:
    """Per pupil and slot: the session is while of compulsory school age (DOMAIN §3)."""
    if age is None:
        return True
    days = slots.day_ordinal if columns is None else slots.day_ordinal[columns]
    return (days >= age[0][rows, None]) & (days <= age[1][rows, None])


@dataclass(frozen=True, eq=False)
class ThresholdEpisodeArrays:
    """Every episode (rules.penalty_threshold_episodes), ordered by pupil then session."""

    pupil: IntArray  # row of the pupil in the arrays given
    slot: IntArray  # the first-met slot, in the current year's array
    window_start_ordinal: IntArray  # date.toordinal() of its window's Monday
    count: IntArray  # the window's count at that slot


@dataclass(frozen=True, eq=False)
class ThresholdArrays:
    """Per pupil, as rules.ThresholdResult: the first met slot (-1 if none) and its window;
    when not met, the trailing window at as_of_slot."""

    first_met_slot: IntArray  # slot in the current year's array
    window_start_ordinal: IntArray  # date.toordinal() of the window's Monday
    count: IntArray

    @property
    def met(self) -> BoolArray:
        return self.first_met_slot >= 0


def threshold_episodes(
    prev_year_arr: Codes | None,
    arr: Codes,
    slots: SlotCalendar,
    *,
    as_of_slot: int,
    from_slot: int = 0,
    age: AgeOrdinals | None = None,
) -> tuple[ThresholdEpisodeArrays, IntArray]:
    """rules.penalty_threshold_episodes for every pupil, and each pupil's trailing count at
    as_of_slot. slots must be a 2-year layout (previous, current); from_slot (an AM slot)
    and as_of_slot (the PM slot of as_of) are slots of the current year; the window, and
    whether the count was already met before from_slot, may reach into the previous year.
    """
    if slots.years != 2:
        raise ValueError("threshold kernels need a 2-year SlotCalendar (previous, current)")
    arr = np.atleast_2d(arr)
    prev = np.zeros_like(arr) if prev_year_arr is None else np.atleast_2d(prev_year_arr)
    offset = SLOTS_PER_YEAR
    first_c, last_c = offset + from_slot, offset + as_of_slot
    candidates = np.flatnonzero(slots.school[first_c : last_c + 1]) + first_c
    # The school session before the first one tested: was the threshold already met there?
    before = np.flatnonzero(slots.school[:first_c])[-1:]
    tested = np.concatenate([before, candidates])
    # Only the slots some tested window covers are read: from the earliest window's Monday
    # to as_of. Columns below are relative to `lo`.
    lo = int(slots.window_start[last_c])
    if tested.size:
        lo = min(lo, int(slots.window_start[tested].min()))
    hi = last_c + 1
    school = slots.school[lo:hi]
    columns = np.arange(lo, hi)
    pupils = arr.shape[0]
    trailing = np.zeros(pupils, dtype=np.int32)
    found: list[tuple[npt.NDArray[np.integer], ...]] = []
    for block in blocks(pupils):
        codes = _window_codes(prev[block], arr[block], lo, hi)
        counting = IS_THRESHOLD[codes] & school & age_mask(slots, age, block, columns)
        # cumulative[:, k - lo] = counting sessions in slots lo..k-1
        cumulative = np.zeros((codes.shape[0], codes.shape[1] + 1), dtype=np.int16)
        np.cumsum(counting, axis=1, dtype=np.int16, out=cumulative[:, 1:])
        trailing[block] = cumulative[:, hi - lo] - cumulative[:, slots.window_start[last_c] - lo]
        if candidates.size == 0:
            continue
        at = cumulative[:, tested + 1 - lo] - cumulative[:, slots.window_start[tested] - lo]
        met = at >= PENALTY_THRESHOLD_SESSIONS
        was_met = np.zeros_like(met)
        was_met[:, 1:] = met[:, :-1]
        begins = (met & ~was_met)[:, before.size :]
        rows, columns = np.nonzero(begins)
        found.append((rows + block.start, columns, at[:, before.size :][rows, columns]))
    rows = np.concatenate([f[0] for f in found]) if found else np.zeros(0, dtype=np.int64)
    columns = np.concatenate([f[1] for f in found]) if found else np.zeros(0, dtype=np.int64)
    counts = np.concatenate([f[2] for f in found]) if found else np.zeros(0, dtype=np.int16)
    met_slots = candidates[columns] if columns.size else np.zeros(0, dtype=np.int64)
    episodes = ThresholdEpisodeArrays(
        rows.astype(np.int32),
        (met_slots - offset).astype(np.int32),
        slots.window_start_ordinal[met_slots].astype(np.int32),
        counts.astype(np.int32),
    )
    return episodes, trailing


def _window_codes(prev: Codes, current: Codes, lo: int, hi: int) -> Codes:
    """Slots lo..hi-1 of the 2-year layout (previous year, then current) for a block."""
    offset = SLOTS_PER_YEAR
    if lo >= offset:
        return current[:, lo - offset : hi - offset]
    return np.concatenate([prev[:, lo:], current[:, : max(hi - offset, 0)]], axis=1)


def threshold_first_met(
    prev_year_arr: Codes | None,
    arr: Codes,
    slots: SlotCalendar,
    *,
    as_of_slot: int,
    from_slot: int = 0,
    age: AgeOrdinals | None = None,
) -> ThresholdArrays:
    """rules.penalty_threshold for every pupil: the first episode, else the trailing window."""
    episodes, trailing = threshold_episodes(
        prev_year_arr, arr, slots, as_of_slot=as_of_slot, from_slot=from_slot, age=age
    )
    pupils = trailing.shape[0]
    first_met = np.full(pupils, -1, dtype=np.int32)
    last_c = SLOTS_PER_YEAR + as_of_slot
    window_ordinal = np.full(pupils, slots.window_start_ordinal[last_c], dtype=np.int32)
    count = trailing.copy()
    # Episodes are ordered by pupil then slot: the first row of each pupil is its first.
    pupil_rows, first = np.unique(episodes.pupil, return_index=True)
    first_met[pupil_rows] = episodes.slot[first]
    window_ordinal[pupil_rows] = episodes.window_start_ordinal[first]
    count[pupil_rows] = episodes.count[first]
    return ThresholdArrays(first_met, window_ordinal, count)
