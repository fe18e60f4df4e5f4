"""PostgreSQL range partitions of the register by academic year (1 Aug to 31 Jul).

On SQLite (the embedded default) the register is one plain table and these are no-ops.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections

MARK_TABLE = "schools_mark"
FIRST_PARTITIONED_YEAR = 2018
LAST_PRECREATED_YEAR = 2030


def partition_name(academic_year: int) -> str:
    return f"{MARK_TABLE}_y{academic_year}"


def ensure_mark_partitions(academic_years: Iterable[int], *, using: str = "default") -> None:
    """Create the register partitions for these academic years if they do not exist."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for year in sorted(set(academic_years)):
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {partition_name(year)} PARTITION OF {MARK_TABLE} "
                f"FOR VALUES FROM ('{year}-08-01') TO ('{year + 1}-08-01')"
            )
