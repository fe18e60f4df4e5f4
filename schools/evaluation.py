"""The nightly evaluation: every pupil of a school at once, recorded as alerts.

One call per school (a Celery task each, so more workers means more throughput). Reads the
projections of the current and previous school year in two queries, evaluates them with
the vectorised kernels of `schools.register_arrays` (which agree exactly with the pure
rules in `schools.rules`), and reconciles the school's alerts in a few bulk statements.
Idempotent: a second run on the same data writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from django.db import transaction

from schools.calendar import SchoolCalendar, academic_year_bounds, academic_year_of
from schools.code_tables import IS_ILLNESS, IS_THRESHOLD
from schools.codes import CODE_BY_ORDINAL
from schools.evaluation_hooks import evaluation_hooks_run
from schools.models import Alert, Enrolment, School
from schools.projections import projection_arrays
from schools.register_arrays import (
    SLOTS_PER_YEAR,
    AgeOrdinals,
    SlotCalendar,
    category_counts,
    closure_days,
    overdue_n,
    slot_calendar,
    slot_of,
)
from schools.rules import PM, SESSIONS_PER_SCHOOL_DAY
from schools.run_arrays import RunEpisodeArrays, illness_sessions, run_episodes
from schools.runs import ATTENDANCE_RETURN_SESSIONS, SICKNESS_RETURN_SESSIONS
from schools.school_age import compulsory_school_age_period
from schools.school_calendar import calendar_for_school_refresh
from schools.threshold_arrays import (
    age_mask,
    threshold_episodes,
)

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
def _age_period(dob: date) -> tuple[int, int]:
    start, end = compulsory_school_age_period(dob)
    return start.toordinal(), end.toordinal()


def _age_ordinals(births: list[date]) -> AgeOrdinals:
    """Each pupil's compulsory school age, to judge every session (DOMAIN §3)."""
    periods = np.array([_age_period(dob) for dob in births], dtype=np.int32).reshape(-1, 2)
    return periods[:, 0].copy(), periods[:, 1].copy()


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


def _may_request_penalty_notices(school_id: int) -> bool:
    """Independent schools cannot request penalty notices (DOMAIN §1, §5 issue conditions)."""
    school = School.objects.filter(pk=school_id).values("state_funded", "school_type").first()
    return bool(
        school and school["state_funded"] and school["school_type"] != School.Type.INDEPENDENT
    )


def evaluate_school(*, school_id: int, as_of: date) -> SchoolEvaluation:
    """Evaluate every pupil of one school at the end of `as_of` and reconcile its alerts."""
    year = academic_year_of(as_of)
    previous = year - 1
    pupil_ids, births = _pupils(school_id, year)
    result = SchoolEvaluation(school_id=school_id, as_of=as_of, pupils=len(pupil_ids))
    if not pupil_ids:
        evaluation_hooks_run(school_id=school_id, as_of=as_of)
        return result
    current = projection_arrays(school_id=school_id, academic_year=year, pupil_ids=pupil_ids)
    before = projection_arrays(school_id=school_id, academic_year=previous, pupil_ids=pupil_ids)
    calendar = calendar_for_school_refresh(school_id, [previous, year]).excluding(
        closure_days(before, academic_year_bounds(previous)[0])
        + closure_days(current, academic_year_bounds(year)[0])
    )
    slots = _slots(calendar, previous)
    desired = _findings(
        current,
        before,
        slots,
        pupil_ids,
        _age_ordinals(births),
        year=year,
        as_of=as_of,
        threshold=_may_request_penalty_notices(school_id),
    )
    result.found = _count_kinds(desired)
    result.raised, result.cleared = _reconcile(school_id, year, as_of, desired)
    evaluation_hooks_run(school_id=school_id, as_of=as_of)  # e.g. the dashboards' figures
    return result


def _findings(
    current: npt.NDArray[np.uint8],
    before: npt.NDArray[np.uint8],
    slots: SlotCalendar,
    pupil_ids: list[int],
    age: AgeOrdinals,
    *,
    year: int,
    as_of: date,
    threshold: bool = True,
) -> dict[AlertKey, dict[str, object]]:
    """The alerts that should be open now: {(pupil, kind, key): details}."""
    as_of_slot = slot_of(as_of, PM, academic_year_bounds(year)[0])
    end_slot = SLOTS_PER_YEAR + as_of_slot
    both = np.concatenate([before, current], axis=1)

    def day(slot: int) -> str:  # a slot of the 2-year layout (a 365-day year is padded)
        return slots.date_at(int(slot)).isoformat()

    def session(slot: int) -> str:
        return "AM" if slot % SESSIONS_PER_SCHOOL_DAY == 0 else "PM"

    desired: dict[AlertKey, dict[str, object]] = {}
    counts = category_counts(current, as_of_slot=as_of_slot)
    for i in np.flatnonzero(counts.persistent_absence).tolist():
        figures: dict[str, object] = {
            "possible": int(counts.possible[i]),
            "absence": int(counts.absence[i]),
        }
        desired[(pupil_ids[i], Alert.Kind.PERSISTENT_ABSENCE, "")] = figures
        if counts.severe_absence[i]:
            desired[(pupil_ids[i], Alert.Kind.SEVERE_ABSENCE, "")] = figures

    if threshold:  # one alert per episode, keyed by its first-met day (DOMAIN §5 "Episodes")
        episodes, _ = threshold_episodes(before, current, slots, as_of_slot=as_of_slot, age=age)
        for row, slot, window, count in zip(
            episodes.pupil.tolist(),
            (episodes.slot + SLOTS_PER_YEAR).tolist(),
            episodes.window_start_ordinal.tolist(),
            episodes.count.tolist(),
            strict=True,
        ):
            desired[(pupil_ids[row], Alert.Kind.PENALTY_THRESHOLD, day(slot))] = {
                "met_on": day(slot),
                "met_session": session(slot),
                "window_start": date.fromordinal(window).isoformat(),
                "sessions": count,
                "by_code": _window_codes(both, slots, age, row, slot),
            }

    # Return episodes: runs followed back into last year, counted in the year they reach
    # their criterion (DOMAIN §8); an alert only when due (of compulsory school age).
    def episodes_of(qualifies: npt.NDArray[np.bool_], needed: int) -> RunEpisodeArrays:
        return run_episodes(
            both, slots, qualifies, needed=needed,
            start_slot=0, end_slot=end_slot, reaching_slot=SLOTS_PER_YEAR, age=age,
        )  # fmt: skip

    absence_runs = episodes_of(IS_THRESHOLD, ATTENDANCE_RETURN_SESSIONS)
    for row, first, last, sessions in _due(absence_runs, ATTENDANCE_RETURN_SESSIONS):
        desired[(pupil_ids[row], Alert.Kind.ATTENDANCE_RETURN, day(first))] = {
            "school_days": sessions // SESSIONS_PER_SCHOOL_DAY,
            "from": day(first),
            "to": day(last),
        }
    illness_runs = episodes_of(IS_ILLNESS, SICKNESS_RETURN_SESSIONS)
    with_run = set()
    for row, first, _, sessions in _due(illness_runs, SICKNESS_RETURN_SESSIONS):
        with_run.add(row)
        desired[(pupil_ids[row], Alert.Kind.SICKNESS_RETURN, f"run:{day(first)}")] = {
            "consecutive_school_days": sessions // SESSIONS_PER_SCHOOL_DAY,
            "from": day(first),
        }
    illness_total = illness_sessions(
        both, from_slot=SLOTS_PER_YEAR, as_of_slot=end_slot, slots=slots, age=age
    )
    for i in np.flatnonzero(illness_total >= SICKNESS_RETURN_SESSIONS).tolist():
        if i not in with_run:
            desired[(pupil_ids[i], Alert.Kind.SICKNESS_RETURN, "total")] = {
                "illness_school_days": int(illness_total[i]) / SESSIONS_PER_SCHOOL_DAY,
            }

    overdue = overdue_n(both, slots, as_of=as_of)[:, SLOTS_PER_YEAR : end_slot + 1]
    for i, slot in zip(*np.nonzero(overdue), strict=True):
        at = int(slot) + SLOTS_PER_YEAR
        key = f"{day(at)}:{session(at)}"
        desired[(pupil_ids[int(i)], Alert.Kind.OVERDUE_N_CODE, key)] = {"date": day(at)}
    return desired


def _due(episodes: RunEpisodeArrays, needed: int) -> list[tuple[int, int, int, int]]:
    """(row, first slot, last slot, sessions) of the episodes that are due."""
    due = episodes.due(needed)
    return list(
        zip(
            episodes.pupil[due].tolist(),
            episodes.first_slot[due].tolist(),
            episodes.last_slot[due].tolist(),
            episodes.sessions[due].tolist(),
            strict=True,
        )
    )


def _window_codes(
    both: npt.NDArray[np.uint8], slots: SlotCalendar, age: AgeOrdinals, row: int, slot: int
) -> dict[str, int]:
    """The mix of G/N/O/U in an episode's window, as the school is shown it (DOMAIN §5)."""
    span = slice(int(slots.window_start[slot]), slot + 1)
    codes = both[row, span]
    mask = age_mask(slots, (age[0][row : row + 1], age[1][row : row + 1]), slice(None))
    counting = IS_THRESHOLD[codes] & slots.school[span] & np.atleast_2d(mask)[0, span]
    found = {code: 0 for code in ("G", "N", "O", "U")}
    for ordinal in codes[counting].tolist():
        found[CODE_BY_ORDINAL[ordinal]] += 1
    return found


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
