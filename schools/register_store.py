"""Bulk writes of register marks: COPY on PostgreSQL, batched inserts on SQLite.

Used where marks are created in bulk by the system itself (demo data, the benchmark's
synthetic county). School files go through `schools.imports`, which validates first.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import connection
from django.utils import timezone

from schools.calendar import academic_year_of
from schools.partitions import ensure_mark_partitions

MarkRow = tuple[int, int, date, int, str]  # school_id, pupil_id, date, session, code
COLUMNS = ("school_id", "pupil_id", "date", "session", "code", "source_import_id", "recorded_at")
SQLITE_BATCH = 20_000


def marks_bulk_insert(
    rows: Iterable[MarkRow],
    *,
    years: Iterable[int],
    source_import_id: int | None = None,
    recorded_at: datetime | None = None,
) -> int:
    """Insert new marks (no existing row may clash). Returns the number inserted."""
    ensure_mark_partitions(years)
    stamp = recorded_at or timezone.now()
    count = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.connection  # psycopg 3 connection, for COPY
            with raw.cursor().copy(f"COPY schools_mark ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for school_id, pupil_id, day, session, code in rows:
                    copy.write_row(
                        (school_id, pupil_id, day, session, code, source_import_id, stamp)
                    )
                    count += 1
        return count
    sql = (
        f"INSERT INTO schools_mark ({', '.join(COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(COLUMNS))})"
    )
    batch: list[tuple[object, ...]] = []
    with connection.cursor() as cursor:
        for school_id, pupil_id, day, session, code in rows:
            batch.append((school_id, pupil_id, day, session, code, source_import_id, stamp))
            if len(batch) >= SQLITE_BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def years_of(dates: Iterable[date]) -> set[int]:
    return {academic_year_of(d) for d in dates}
