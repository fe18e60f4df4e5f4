"""The register projections: per pupil-year totals and compact code arrays (ADR 0004).

They are caches of `schools_mark`. `projections_rebuild` makes them from scratch for a
school-year; `projections_refresh` patches them after an import, reading only the marks on
the dates the import touched. Both are set-based: one query per school-year, NumPy for the
arithmetic, one bulk upsert.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np
import numpy.typing as npt
import psycopg
from django.db import connection, transaction
from django.utils import timezone

from schools.calendar import academic_year_bounds, academic_year_of
from schools.codes import ORDINAL_BY_CODE
from schools.models import PupilYearRegister
from schools.register_arrays import SLOTS_PER_YEAR, category_counts

UPSERT_BATCH = 2000
_ORDINALS = dict(ORDINAL_BY_CODE)


def _slot_sql(year_start: date) -> str:
    """SQL for a mark's slot in its pupil-year array (days since 1 August x 2 + session)."""
    if connection.vendor == "postgresql":
        return f"((date - DATE '{year_start.isoformat()}') * 2 + session)"
    return (
        f"(CAST(julianday(date) - julianday('{year_start.isoformat()}') AS INTEGER) * 2 + session)"
    )


def _marks(
    school_id: int,
    year: int,
    *,
    pupil_ids: Iterable[int] | None = None,
    dates: Iterable[date] | None = None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.uint8]]:
    """(pupil ids, slots, ordinals) of a school's marks in one academic year."""
    start, end = academic_year_bounds(year)
    sql = (
        f"SELECT pupil_id, {_slot_sql(start)}, code FROM schools_mark "
        "WHERE school_id = %s AND date BETWEEN %s AND %s"
    )
    params: list[int | date] = [school_id, start, end]
    filters: tuple[tuple[str, list[int] | list[date] | None], ...] = (
        ("pupil_id", None if pupil_ids is None else sorted(set(pupil_ids))),
        ("date", None if dates is None else sorted(set(dates))),
    )
    for column, values in filters:
        if values is not None:
            if not values:
                return _empty()
            sql += f" AND {column} IN ({', '.join(['%s'] * len(values))})"
            params.extend(values)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return _empty()
    pupils, slots, codes = zip(*rows, strict=True)
    ordinals = np.fromiter((_ORDINALS[c] for c in codes), dtype=np.uint8, count=len(codes))
    return np.asarray(pupils, dtype=np.int64), np.asarray(slots, dtype=np.int64), ordinals


def _empty() -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.uint8]]:
    return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.uint8)


def _last_mark_dates(year: int, arrays: npt.NDArray[np.uint8]) -> list[date | None]:
    start, _ = academic_year_bounds(year)
    marked = arrays != 0
    last = np.where(marked.any(axis=1), SLOTS_PER_YEAR - 1 - marked[:, ::-1].argmax(axis=1), -1)
    return [
        None if slot < 0 else date.fromordinal(start.toordinal() + int(slot) // 2) for slot in last
    ]


SAVED_COLUMNS = (
    "school_id",
    "pupil_id",
    "academic_year",
    "codes",
    "possible",
    "present",
    "approved_activity",
    "authorised",
    "unauthorised",
    "not_possible",
    "last_mark_date",
    "updated_at",
)


def _save(school_id: int, year: int, pupil_ids: list[int], arrays: npt.NDArray[np.uint8]) -> int:
    counts = category_counts(arrays)
    last_dates = _last_mark_dates(year, arrays)
    now = timezone.now()
    rows = [
        (
            school_id,
            pupil_id,
            year,
            arrays[i].tobytes(),
            int(counts.possible[i]),
            int(counts.present[i]),
            int(counts.approved_activity[i]),
            int(counts.authorised[i]),
            int(counts.unauthorised[i]),
            int(counts.not_possible[i]),
            last_dates[i],
            now,
        )
        for i, pupil_id in enumerate(pupil_ids)
    ]
    projection_rows_save(rows)
    return len(rows)


def projection_rows_save(rows: Sequence[tuple[object, ...]]) -> None:
    """Upsert projection rows (in SAVED_COLUMNS order): COPY on PostgreSQL, batched
    `INSERT … ON CONFLICT` elsewhere."""
    if connection.vendor == "postgresql":
        _save_by_copy(rows)
        return
    PupilYearRegister.objects.bulk_create(
        (PupilYearRegister(**dict(zip(SAVED_COLUMNS, row, strict=True))) for row in rows),
        batch_size=UPSERT_BATCH,
        update_conflicts=True,
        unique_fields=["school", "pupil", "academic_year"],
        update_fields=list(SAVED_COLUMNS[3:]),
    )


def _save_by_copy(rows: Sequence[tuple[object, ...]]) -> None:
    """COPY into a temporary table, then one upsert: far cheaper than a parameterised
    multi-row INSERT for hundreds of 732-byte arrays."""
    columns = ", ".join(SAVED_COLUMNS)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in SAVED_COLUMNS[3:])
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS projection_stage (school_id bigint, "
            "pupil_id bigint, academic_year smallint, codes bytea, possible int, present int, "
            "approved_activity int, authorised int, unauthorised int, not_possible int, "
            "last_mark_date date, updated_at timestamptz) ON COMMIT DELETE ROWS"
        )
        with cursor.connection.cursor().copy(
            f"COPY projection_stage ({columns}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO schools_pupilyearregister ({columns}) "
            f"SELECT {columns} FROM projection_stage "
            f"ON CONFLICT (school_id, pupil_id, academic_year) DO UPDATE SET {updates}"
        )
        cursor.execute("TRUNCATE projection_stage")


def _scatter(
    pupils: npt.NDArray[np.int64],
    slots: npt.NDArray[np.int64],
    ordinals: npt.NDArray[np.uint8],
    order: dict[int, int],
    arrays: npt.NDArray[np.uint8],
) -> None:
    rows = np.fromiter((order[p] for p in pupils.tolist()), dtype=np.int64, count=pupils.size)
    arrays[rows, slots] = ordinals


@transaction.atomic
def projections_rebuild(*, school_id: int, academic_year: int) -> int:
    """Rebuild a school-year's projections from its marks. Returns pupil-years written."""
    pupils, slots, ordinals = _marks(school_id, academic_year)
    pupil_ids = sorted(set(pupils.tolist()))
    PupilYearRegister.objects.filter(school_id=school_id, academic_year=academic_year).exclude(
        pupil_id__in=pupil_ids
    ).delete()
    if not pupil_ids:
        return 0
    order = {pupil_id: i for i, pupil_id in enumerate(pupil_ids)}
    arrays = np.zeros((len(pupil_ids), SLOTS_PER_YEAR), dtype=np.uint8)
    _scatter(pupils, slots, ordinals, order, arrays)
    return _save(school_id, academic_year, pupil_ids, arrays)


@transaction.atomic
def projections_refresh(
    *, school_id: int, dates: Iterable[date], pupil_ids: Iterable[int] | None = None
) -> int:
    """Patch the projections after marks on `dates` changed (for `pupil_ids`, or all).

    Pupil-years with no projection yet are built in full from their marks.
    """
    dates = sorted(set(dates))
    written = 0
    for year in sorted({academic_year_of(d) for d in dates}):
        year_dates = [d for d in dates if academic_year_of(d) == year]
        pupils, slots, ordinals = _marks(school_id, year, pupil_ids=pupil_ids, dates=year_dates)
        touched = sorted(set(pupils.tolist()) | set(pupil_ids or ()))
        if not touched:
            continue
        existing = dict(
            PupilYearRegister.objects.filter(
                school_id=school_id, academic_year=year, pupil_id__in=touched
            ).values_list("pupil_id", "codes")
        )
        order = {pupil_id: i for i, pupil_id in enumerate(touched)}
        arrays = np.zeros((len(touched), SLOTS_PER_YEAR), dtype=np.uint8)
        missing = [p for p in touched if p not in existing]
        for pupil_id, codes in existing.items():
            arrays[order[pupil_id]] = np.frombuffer(bytes(codes), dtype=np.uint8)
        if missing:  # never projected: take the whole year's marks for these pupils
            full = _marks(school_id, year, pupil_ids=missing)
            _scatter(*full, order, arrays)
        # Clear the touched dates, then write what the register holds for them now.
        start, _ = academic_year_bounds(year)
        day_slots = np.array([(d - start).days * 2 for d in year_dates], dtype=np.int64)
        arrays[:, np.concatenate([day_slots, day_slots + 1])] = 0
        _scatter(pupils, slots, ordinals, order, arrays)
        written += _save(school_id, year, touched, arrays)
    return written


def projection_arrays(
    *, school_id: int, academic_year: int, pupil_ids: list[int]
) -> npt.NDArray[np.uint8]:
    """The code arrays of these pupils (zeros where none), in the order given."""
    arrays = np.zeros((len(pupil_ids), SLOTS_PER_YEAR), dtype=np.uint8)
    order = {pupil_id: i for i, pupil_id in enumerate(pupil_ids)}
    rows = PupilYearRegister.objects.filter(
        school_id=school_id, academic_year=academic_year, pupil_id__in=pupil_ids
    ).values_list("pupil_id", "codes")
    for pupil_id, codes in rows.iterator(chunk_size=5000):
        arrays[order[pupil_id]] = np.frombuffer(bytes(codes), dtype=np.uint8)
    return arrays


def school_year_code_rows(*, school_id: int, academic_year: int) -> list[tuple[int, bytes]]:
    """(pupil id, code array bytes) of every projection of one school-year: ~1 MB for a
    1,500-pupil school, read on every dashboard view. On PostgreSQL the arrays come over the
    wire as binary: Django's cursor asks for text, which sends each `bytea` as hex (twice
    the bytes) to be decoded again in Python, half the read's time."""
    if connection.vendor != "postgresql":
        rows = PupilYearRegister.objects.filter(
            school_id=school_id, academic_year=academic_year
        ).values_list("pupil_id", "codes")
        return [(pupil_id, bytes(codes)) for pupil_id, codes in rows]
    connection.ensure_connection()
    binary = psycopg.Cursor(connection.connection)  # server-side binding allows binary
    binary.format = psycopg.pq.Format.BINARY
    # Wrapped as Django wraps its own cursors, so the read is logged and counted like any
    # (django-stubs types the argument as the wrapper; Django passes the driver's cursor).
    wrapped = (
        connection.make_debug_cursor(binary)  # type: ignore[arg-type]
        if connection.queries_logged
        else connection.make_cursor(binary)  # type: ignore[arg-type]
    )
    with wrapped as cursor:
        cursor.execute(
            "SELECT pupil_id, codes FROM schools_pupilyearregister "
            "WHERE school_id = %s AND academic_year = %s",
            [school_id, academic_year],
        )
        return cursor.fetchall()
