"""The projection refresh after an import, for many schools at once (issue 16, ADR 0015).

`projections.projections_refresh` patches one school; after a county's morning registers
that is 600 tasks each reading its marks and projections and upserting its rows. Here a
batch of schools is one query for the day's marks, one for the projections of the pupils
they touch, NumPy for the patch and the totals, and one upsert of only the rows that
changed, so a second run writes nothing. The result is the same as `projections_refresh`
on each school in turn (tests/schools/test_follow_up_batch.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import numpy as np
import numpy.typing as npt
from django.db import connection, transaction
from django.utils import timezone

from schools.calendar import academic_year_bounds, academic_year_of
from schools.codes import ORDINAL_BY_CODE
from schools.models import PupilYearRegister
from schools.projections import (
    _last_mark_dates,
    _marks,
    _slot_sql,
    projection_rows_save,
)
from schools.register_arrays import SLOTS_PER_YEAR, category_counts

_ORDINALS = dict(ORDINAL_BY_CODE)
TOTALS = ("possible", "present", "approved_activity", "authorised", "unauthorised", "not_possible")

PupilKey = tuple[int, int]  # school id, pupil id
Ordinals = npt.NDArray[np.uint8]


def _placeholders(values: list[object]) -> str:
    return ", ".join(["%s"] * len(values))


def _day_marks(
    school_ids: list[int], days: list[date], year_start: date
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64], Ordinals]:
    """(school ids, pupil ids, slots, code ordinals) of the schools' marks on these days."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT school_id, pupil_id, {_slot_sql(year_start)}, code FROM schools_mark "
            f"WHERE school_id IN ({_placeholders(list(school_ids))}) "
            f"AND date IN ({_placeholders(list(days))})",
            [*school_ids, *days],
        )
        rows = cursor.fetchall()
    if not rows:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty, np.zeros(0, np.uint8)
    schools, pupils, slots, codes = zip(*rows, strict=True)
    return (
        np.asarray(schools, np.int64),
        np.asarray(pupils, np.int64),
        np.asarray(slots, np.int64),
        np.fromiter((_ORDINALS[c] for c in codes), dtype=np.uint8, count=len(codes)),
    )


def _existing(
    school_ids: list[int], year: int, touched: set[PupilKey]
) -> dict[PupilKey, tuple[bytes, tuple[object, ...]]]:
    """The stored codes and derived columns of the touched pupil-years."""
    found: dict[PupilKey, tuple[bytes, tuple[object, ...]]] = {}
    # By school only (no list of pupil ids to bind): after a morning's registers nearly
    # every pupil of each school is touched anyway.
    rows = PupilYearRegister.objects.filter(
        school_id__in=school_ids, academic_year=year
    ).values_list("school_id", "pupil_id", "codes", *TOTALS, "last_mark_date")
    for school_id, pupil_id, codes, *derived in rows.iterator(chunk_size=5000):
        if (school_id, pupil_id) in touched:
            found[(school_id, pupil_id)] = (bytes(codes), tuple(derived))
    return found


def _refresh_year(school_days: Mapping[int, list[date]], year: int) -> int:
    """Patch one academic year's projections for every school given; rows written."""
    school_ids = sorted(school_days)
    days = sorted({d for ds in school_days.values() for d in ds})
    start, _ = academic_year_bounds(year)
    schools, pupils, slots, codes = _day_marks(school_ids, days, start)
    if len(school_ids) > 1 and any(set(ds) != set(days) for ds in school_days.values()):
        wanted = {(s, (d - start).days) for s, ds in school_days.items() for d in ds}
        keep = np.fromiter(
            (
                (s, slot // 2) in wanted
                for s, slot in zip(schools.tolist(), slots.tolist(), strict=True)
            ),
            dtype=np.bool_,
            count=schools.size,
        )
        schools, pupils, slots, codes = schools[keep], pupils[keep], slots[keep], codes[keep]
    touched = sorted(set(zip(schools.tolist(), pupils.tolist(), strict=True)))
    if not touched:
        return 0
    row_of = {key: i for i, key in enumerate(touched)}
    existing = _existing(school_ids, year, set(touched))
    arrays = np.zeros((len(touched), SLOTS_PER_YEAR), dtype=np.uint8)
    for key, (stored, _) in existing.items():
        arrays[row_of[key]] = np.frombuffer(stored, dtype=np.uint8)
    missing: dict[int, list[int]] = {}
    for school_id, pupil_id in touched:
        if (school_id, pupil_id) not in existing:
            missing.setdefault(school_id, []).append(pupil_id)
    for school_id, pupil_ids in missing.items():  # never projected: the whole year's marks
        full_pupils, full_slots, full_ordinals = _marks(school_id, year, pupil_ids=pupil_ids)
        rows = np.fromiter(
            (row_of[(school_id, p)] for p in full_pupils.tolist()), np.int64, full_pupils.size
        )
        arrays[rows, full_slots] = full_ordinals
    # Clear each school's touched days, then write what the register holds for them now.
    touched_school = np.fromiter((s for s, _ in touched), np.int64, len(touched))
    for school_id, school_dates in school_days.items():
        low, high = np.searchsorted(touched_school, [school_id, school_id + 1])
        day_slots = np.array([(d - start).days * 2 for d in school_dates], dtype=np.int64)
        arrays[low:high, np.concatenate([day_slots, day_slots + 1])] = 0
    rows = np.fromiter(
        (row_of[key] for key in zip(schools.tolist(), pupils.tolist(), strict=True)),
        np.int64,
        schools.size,
    )
    arrays[rows, slots] = codes
    return _save_changed(year, touched, arrays, existing)


def _save_changed(
    year: int,
    touched: list[PupilKey],
    arrays: npt.NDArray[np.uint8],
    existing: dict[PupilKey, tuple[bytes, tuple[object, ...]]],
) -> int:
    """Upsert the pupil-years whose codes or totals differ from what is stored."""
    counts = category_counts(arrays)
    last_dates = _last_mark_dates(year, arrays)
    now = timezone.now()
    out = []
    for i, (school_id, pupil_id) in enumerate(touched):
        codes = arrays[i].tobytes()
        derived = (
            int(counts.possible[i]),
            int(counts.present[i]),
            int(counts.approved_activity[i]),
            int(counts.authorised[i]),
            int(counts.unauthorised[i]),
            int(counts.not_possible[i]),
            last_dates[i],
        )
        if existing.get((school_id, pupil_id)) == (codes, derived):
            continue  # nothing new: a re-run writes nothing
        out.append((school_id, pupil_id, year, codes, *derived, now))
    if not out:
        return 0
    projection_rows_save(out)
    return len(out)


@transaction.atomic
def projections_refresh_schools(dates_by_school: Mapping[int, Iterable[date]]) -> int:
    """Patch the projections of many schools after marks on their dates changed: the same
    result as `projections_refresh(school_id=…, dates=…)` for each. Returns rows written."""
    by_year: dict[int, dict[int, list[date]]] = {}
    for school_id, dates in dates_by_school.items():
        for d in sorted(set(dates)):
            by_year.setdefault(academic_year_of(d), {}).setdefault(school_id, []).append(d)
    return sum(_refresh_year(school_days, year) for year, school_days in sorted(by_year.items()))
