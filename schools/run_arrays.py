"""Vectorised continuous runs and return episodes: `schools.runs` for whole schools at once.

Arrays are laid out as in `schools.register_arrays` (pupils x slots, a `SlotCalendar` for
the dates); every kernel agrees exactly with its `schools.runs` counterpart
(tests/schools/test_register_arrays.py). No Python loop runs per pupil.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from schools.code_tables import IS_CLOSURE, IS_ILLNESS, IS_THRESHOLD
from schools.register_arrays import (
    AgeOrdinals,
    BoolArray,
    Codes,
    IntArray,
    SlotCalendar,
    blocks,
    upto,
)
from schools.threshold_arrays import (
    age_mask,
)


# --- runs (DOMAIN §8 "Precise counting") ----------------------------------------------------
@dataclass(frozen=True, eq=False)
class RunArrays:
    """Per pupil, as runs.SessionRun: length in sessions and first/last slot (-1 if none)."""

    sessions: IntArray
    first_slot: IntArray
    last_slot: IntArray


@dataclass(frozen=True)
class _RunParts:
    """One block's runs over the school sessions `columns` (positions, not slots)."""

    good: BoolArray  # the session qualifies
    so_far: npt.NDArray[np.signedinteger]  # so_far[:, i + 1] = qualifying in positions 0..i
    length: npt.NDArray[np.signedinteger]  # length of the run so far at each position
    before_run: npt.NDArray[np.signedinteger]  # so_far just before the run at each position


def _run_parts(codes: Codes, qualifies: BoolArray, small: type[np.signedinteger]) -> _RunParts:
    """Qualifying sessions extend a run, # / Y4 are skipped, anything else (or no mark) ends it."""
    width = codes.shape[1]
    position = np.arange(width, dtype=small)
    good = qualifies[codes]
    breaks = ~(good | IS_CLOSURE[codes])
    last_break = np.maximum.accumulate(np.where(breaks, position, small(-1)), axis=1)
    so_far = np.zeros((codes.shape[0], width + 1), dtype=small)
    np.cumsum(good, axis=1, dtype=small, out=so_far[:, 1:])
    before_run = np.take_along_axis(so_far, last_break + 1, axis=1)
    return _RunParts(good, so_far, so_far[:, 1:] - before_run, before_run)


def _columns(
    slots: SlotCalendar, start_slot: int, end_slot: int
) -> tuple[npt.NDArray[np.intp], type[np.signedinteger]]:
    columns = np.flatnonzero(slots.school[start_slot : end_slot + 1]) + start_slot
    small = np.int16 if columns.size < np.iinfo(np.int16).max else np.int32  # less traffic
    return columns, small


def _longest_run(
    arr: Codes,
    slots: SlotCalendar,
    qualifies: BoolArray,
    start_slot: int,
    end_slot: int,
    reaching_slot: int | None,
) -> RunArrays:
    """The longest run (ties go to the earliest); with reaching_slot, only runs whose last
    session is at or after it, counted whole (runs._longest_run)."""
    arr = np.atleast_2d(arr)
    columns, small = _columns(slots, start_slot, end_slot)
    pupils, width = arr.shape[0], columns.size
    sessions = np.zeros(pupils, dtype=np.int32)
    first_slot = np.full(pupils, -1, dtype=np.int32)
    last_slot = np.full(pupils, -1, dtype=np.int32)
    if width == 0:
        return RunArrays(sessions, first_slot, last_slot)
    for block in blocks(pupils):
        parts = _run_parts(arr[block][:, columns], qualifies, small)
        length = parts.length
        if reaching_slot is not None:
            # Only qualifying sessions at or after the slot (a run's length grows along it, so
            # its last one there counts the whole run; a # / Y4 after its end does not).
            length = np.where((columns >= reaching_slot) & parts.good, length, small(0))
        end = length.argmax(axis=1)  # the first maximum: ties go to the earliest run
        rows = np.arange(length.shape[0])
        best = length[rows, end]
        # The run starts where the running count first passes its value before the run.
        start = (parts.so_far[:, 1:] > parts.before_run[rows, end][:, None]).argmax(axis=1)
        has_run = best > 0
        sessions[block] = best
        first_slot[block] = np.where(has_run, columns[start], -1)
        last_slot[block] = np.where(has_run, columns[end], -1)
    return RunArrays(sessions, first_slot, last_slot)


def longest_unauthorised_run(
    arr: Codes,
    slots: SlotCalendar,
    *,
    start_slot: int = 0,
    end_slot: int | None = None,
    reaching_slot: int | None = None,
) -> RunArrays:
    """runs.longest_unauthorised_run_school_days for every pupil."""
    end = slots.width - 1 if end_slot is None else end_slot
    return _longest_run(arr, slots, IS_THRESHOLD, start_slot, end, reaching_slot)


def longest_illness_run(
    arr: Codes,
    slots: SlotCalendar,
    *,
    start_slot: int = 0,
    end_slot: int | None = None,
    reaching_slot: int | None = None,
) -> RunArrays:
    """runs.longest_illness_run_sessions for every pupil."""
    end = slots.width - 1 if end_slot is None else end_slot
    return _longest_run(arr, slots, IS_ILLNESS, start_slot, end, reaching_slot)


@dataclass(frozen=True, eq=False)
class RunEpisodeArrays:
    """Every run meeting its criterion (runs.ReturnEpisode), ordered by pupil then slot;
    slots are layout slots."""

    pupil: IntArray
    first_slot: IntArray
    last_slot: IntArray
    reached_slot: IntArray  # where the run met the criterion
    sessions: IntArray  # the whole run, up to end_slot
    compulsory_sessions: IntArray  # of which while of compulsory school age

    def due(self, needed: int) -> BoolArray:
        return self.compulsory_sessions >= needed


def run_episodes(
    arr: Codes,
    slots: SlotCalendar,
    qualifies: BoolArray,
    *,
    needed: int,
    start_slot: int,
    end_slot: int,
    reaching_slot: int,
    age: AgeOrdinals | None = None,
) -> RunEpisodeArrays:
    """runs.attendance_return_episodes / sickness_return_episodes for every pupil: runs
    within start..end_slot whose `needed`-th session lies at or after reaching_slot."""
    arr = np.atleast_2d(arr)
    columns, small = _columns(slots, start_slot, end_slot)
    width = columns.size
    found: list[tuple[npt.NDArray[np.integer], ...]] = []
    for block in blocks(arr.shape[0]) if width else ():
        parts = _run_parts(arr[block][:, columns], qualifies, small)
        position = np.arange(width, dtype=small)  # small: bounds the temporary arrays
        reach = parts.good & (parts.length == needed) & (columns >= reaching_slot)
        rows, at = np.nonzero(reach)
        if rows.size == 0:
            continue
        good_at = np.where(parts.good, position, small(-1))
        previous_good = np.maximum.accumulate(good_at, axis=1)
        breaks = ~(parts.good | IS_CLOSURE[arr[block][:, columns]])
        # next_break[:, i] = the first break at or after position i (width if none)
        break_at = np.where(breaks, position, small(width))
        next_break = np.minimum.accumulate(break_at[:, ::-1], axis=1)[:, ::-1]
        # The run's first qualifying session: the first after the values before the run.
        first = (parts.so_far[rows, 1:] > parts.before_run[rows, at][:, None]).argmax(axis=1)
        stop = next_break[rows, at]  # the run ends before the next break
        last = previous_good[rows, stop - 1]
        whole = parts.so_far[rows, last + 1] - parts.so_far[rows, first]
        in_age = parts.good & age_mask(slots, age, block, columns)
        age_so_far: npt.NDArray[np.signedinteger] = np.zeros(
            (in_age.shape[0], width + 1), dtype=small
        )
        np.cumsum(in_age, axis=1, dtype=small, out=age_so_far[:, 1:])
        compulsory = age_so_far[rows, last + 1] - age_so_far[rows, first]
        found.append(
            (rows + block.start, columns[first], columns[last], columns[at], whole, compulsory)
        )
    fields = [np.concatenate([f[i] for f in found]) if found else np.zeros(0) for i in range(6)]
    return RunEpisodeArrays(*(field.astype(np.int32) for field in fields))


def illness_sessions(
    arr: Codes,
    *,
    as_of_slot: int | None = None,
    from_slot: int = 0,
    slots: SlotCalendar | None = None,
    age: AgeOrdinals | None = None,
) -> IntArray:
    """runs.illness_sessions for every pupil: I sessions from from_slot to as_of_slot; with an
    age, only those while of compulsory school age (then arr must be laid out as slots)."""
    illness = IS_ILLNESS[np.atleast_2d(arr)]
    if age is not None:
        if slots is None or slots.width != illness.shape[1]:
            raise ValueError("judging age per session needs arr laid out as slots")
        illness = illness & age_mask(slots, age, slice(None))
    return upto(illness, as_of_slot, from_slot).sum(axis=1, dtype=np.int32)
