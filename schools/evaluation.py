"""The nightly evaluation: every pupil of a school at once, recorded as alerts.

One call per school (a Celery task each, so more workers means more throughput). Reads the
projections of the current and previous school year in two queries, evaluates them with
the vectorised kernels of `schools.register_arrays` (which agree exactly with the pure
rules in `schools.rules`), and reconciles the school's alerts in a few bulk statements.
Idempotent: a second run on the same data writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from django.db import transaction

from schools.calendar import SchoolCalendar, academic_year_bounds, academic_year_of
from schools.codes import IS_CLOSURE
from schools.models import Alert, Enrolment
from schools.projections import projection_arrays
from schools.register_arrays import (
    SLOTS_PER_YEAR,
    SlotCalendar,
    category_counts,
    illness_sessions,
    longest_illness_run,
    longest_unauthorised_run,
    overdue_n,
    slot_calendar,
    slot_of,
    threshold_first_met,
)
from schools.rules import (
    ATTENDANCE_RETURN_SCHOOL_DAYS,
    PM,
    SICKNESS_RETURN_SCHOOL_DAYS,
    is_compulsory_school_age,
)
from schools.school_calendar import calendar_for_school

SESSIONS_PER_DAY = 2
# Alerts that end when their condition ends; the others record events that need action.
CLEARABLE = frozenset(
    {Alert.Kind.PERSISTENT_ABSENCE, Alert.Kind.SEVERE_ABSENCE, Alert.Kind.OVERDUE_N_CODE}
)

AlertKey = tuple[int, str, str]  # pupil id, kind, key


@dataclass
class SchoolEvaluation:
    """What one school's evaluation found and what changed."""

    school_id: int
    as_of: date
    pupils: int = 0
    found: dict[str, int] = field(default_factory=dict)
    raised: int = 0
    cleared: int = 0


@lru_cache(maxsize=256)
def _slots(calendar: SchoolCalendar, first_year: int) -> SlotCalendar:
    """Per-slot calendar arrays; schools sharing a calendar share the work."""
    return slot_calendar(calendar, first_year, 2)


@lru_cache(maxsize=65536)
def _compulsory(dob: date, on: date) -> bool:
    return is_compulsory_school_age(dob, on)


def closure_days(arrays: npt.NDArray[np.uint8], year_start: date) -> list[date]:
    """Days on which every marked session of the school is # or Y4 (DOMAIN §13)."""
    if arrays.size == 0:
        return []
    marked = arrays != 0
    closed_or_blank = IS_CLOSURE[arrays] | ~marked
    by_slot = marked.any(axis=0) & closed_or_blank.all(axis=0)
    by_day = by_slot.reshape(-1, SESSIONS_PER_DAY).any(axis=1)
    return [year_start + timedelta(days=int(day)) for day in np.flatnonzero(by_day)]


def _pupils(school_id: int, year: int) -> tuple[list[int], list[date]]:
    """Pupils enrolled at the school at any time in the academic year, with birth dates."""
    start, end = academic_year_bounds(year)
    rows = (
        Enrolment.objects.filter(school_id=school_id, start_date__lte=end)
        .exclude(end_date__lt=start)
        .order_by("pupil_id")
        .values_list("pupil_id", "pupil__date_of_birth")
        .distinct()
    )
    ids, births = [], []
    for pupil_id, dob in rows:
        ids.append(pupil_id)
        births.append(dob)
    return ids, births


def evaluate_school(*, school_id: int, as_of: date) -> SchoolEvaluation:
    """Evaluate every pupil of one school at the end of `as_of` and reconcile its alerts."""
    year = academic_year_of(as_of)
    previous = year - 1
    pupil_ids, births = _pupils(school_id, year)
    result = SchoolEvaluation(school_id=school_id, as_of=as_of, pupils=len(pupil_ids))
    if not pupil_ids:
        return result
    current = projection_arrays(school_id=school_id, academic_year=year, pupil_ids=pupil_ids)
    before = projection_arrays(school_id=school_id, academic_year=previous, pupil_ids=pupil_ids)
    calendar = calendar_for_school(school_id, [previous, year]).excluding(
        closure_days(before, academic_year_bounds(previous)[0])
        + closure_days(current, academic_year_bounds(year)[0])
    )
    slots = _slots(calendar, previous)
    desired = _findings(current, before, slots, pupil_ids, births, year=year, as_of=as_of)
    result.found = _count_kinds(desired)
    result.raised, result.cleared = _reconcile(school_id, year, as_of, desired)
    return result


def _findings(
    current: npt.NDArray[np.uint8],
    before: npt.NDArray[np.uint8],
    slots: SlotCalendar,
    pupil_ids: list[int],
    births: list[date],
    *,
    year: int,
    as_of: date,
) -> dict[AlertKey, dict[str, object]]:
    """The alerts that should be open now: {(pupil, kind, key): details}."""
    year_start = academic_year_bounds(year)[0]
    as_of_slot = slot_of(as_of, PM, year_start)
    both = np.concatenate([before, current], axis=1)
    compulsory = np.array([_compulsory(dob, as_of) for dob in births], dtype=bool)

    counts = category_counts(current, as_of_slot=as_of_slot)
    threshold = threshold_first_met(before, current, slots, as_of_slot=as_of_slot)
    year_slots = {"start_slot": SLOTS_PER_YEAR, "end_slot": SLOTS_PER_YEAR + as_of_slot}
    absence_run = longest_unauthorised_run(both, slots, **year_slots)
    illness_run = longest_illness_run(both, slots, **year_slots)
    illness_total = illness_sessions(current, as_of_slot=as_of_slot)
    overdue = overdue_n(both, slots, as_of=as_of)[
        :, SLOTS_PER_YEAR : SLOTS_PER_YEAR + as_of_slot + 1
    ]

    def day(slot: int) -> str:
        return (year_start + timedelta(days=int(slot) // 2)).isoformat()

    desired: dict[AlertKey, dict[str, object]] = {}
    absence = counts.absence
    for i in np.flatnonzero(
        counts.persistent_absence
        | threshold.met
        | compulsory
        & (
            (absence_run.sessions >= ATTENDANCE_RETURN_SCHOOL_DAYS * 2)
            | (illness_run.sessions >= SICKNESS_RETURN_SCHOOL_DAYS * 2)
            | (illness_total >= SICKNESS_RETURN_SCHOOL_DAYS * 2)
        )
        | overdue.any(axis=1)
    ).tolist():
        pupil = pupil_ids[i]
        figures: dict[str, object] = {
            "possible": int(counts.possible[i]),
            "absence": int(absence[i]),
        }
        if counts.persistent_absence[i]:
            desired[(pupil, Alert.Kind.PERSISTENT_ABSENCE, "")] = figures
        if counts.severe_absence[i]:
            desired[(pupil, Alert.Kind.SEVERE_ABSENCE, "")] = figures
        if threshold.met[i]:
            slot = int(threshold.first_met_slot[i])
            desired[(pupil, Alert.Kind.PENALTY_THRESHOLD, day(slot))] = {
                "met_on": day(slot),
                "met_session": "AM" if slot % 2 == 0 else "PM",
                "window_start": date.fromordinal(
                    int(threshold.window_start_ordinal[i])
                ).isoformat(),
                "sessions": int(threshold.count[i]),
            }
        if compulsory[i] and absence_run.sessions[i] >= ATTENDANCE_RETURN_SCHOOL_DAYS * 2:
            first = int(absence_run.first_slot[i]) - SLOTS_PER_YEAR
            desired[(pupil, Alert.Kind.ATTENDANCE_RETURN, day(first))] = {
                "school_days": int(absence_run.sessions[i]) // 2,
                "from": day(first),
                "to": day(int(absence_run.last_slot[i]) - SLOTS_PER_YEAR),
            }
        if compulsory[i] and illness_run.sessions[i] >= SICKNESS_RETURN_SCHOOL_DAYS * 2:
            first = int(illness_run.first_slot[i]) - SLOTS_PER_YEAR
            desired[(pupil, Alert.Kind.SICKNESS_RETURN, f"run:{day(first)}")] = {
                "consecutive_school_days": int(illness_run.sessions[i]) // 2,
                "from": day(first),
            }
        elif compulsory[i] and illness_total[i] >= SICKNESS_RETURN_SCHOOL_DAYS * 2:
            desired[(pupil, Alert.Kind.SICKNESS_RETURN, "total")] = {
                "illness_school_days": int(illness_total[i]) / 2,
            }
        for slot in np.flatnonzero(overdue[i]).tolist():
            key = f"{day(slot)}:{'AM' if slot % 2 == 0 else 'PM'}"
            desired[(pupil, Alert.Kind.OVERDUE_N_CODE, key)] = {"date": day(slot)}
    return desired


def _count_kinds(desired: dict[AlertKey, dict[str, object]]) -> dict[str, int]:
    found: dict[str, int] = {}
    for _, kind, _ in desired:
        found[kind] = found.get(kind, 0) + 1
    return found


@transaction.atomic
def _reconcile(
    school_id: int, year: int, as_of: date, desired: dict[AlertKey, dict[str, object]]
) -> tuple[int, int]:
    """Raise what is new, reopen what came back, clear what ended. Returns (raised, cleared)."""
    existing = {
        (pupil, kind, key): (pk, cleared_on)
        for pk, pupil, kind, key, cleared_on in Alert.objects.filter(
            school_id=school_id, academic_year=year
        ).values_list("pk", "pupil_id", "kind", "key", "cleared_on")
    }
    new = [
        Alert(
            school_id=school_id,
            pupil_id=pupil,
            kind=kind,
            academic_year=year,
            key=key,
            details=details,
            raised_on=as_of,
        )
        for (pupil, kind, key), details in desired.items()
        if (pupil, kind, key) not in existing
    ]
    Alert.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    reopened = [pk for k, (pk, cleared_on) in existing.items() if k in desired and cleared_on]
    Alert.objects.filter(pk__in=reopened).update(cleared_on=None, raised_on=as_of)
    ended = [
        pk
        for (pupil, kind, key), (pk, cleared_on) in existing.items()
        if cleared_on is None and kind in CLEARABLE and (pupil, kind, key) not in desired
    ]
    Alert.objects.filter(pk__in=ended).update(cleared_on=as_of)
    return len(new) + len(reopened), len(ended)
