"""The plain-SQL peer of the day import, for `manage.py bench` (issue 16).

What a competent hand-written loader does with a marks CSV: copy the file into a temporary
table, then one `INSERT ... SELECT ... ON CONFLICT ... DO UPDATE ... WHERE code IS DISTINCT
FROM`, and commit. No validation, no error report, no MarkChange, no follow-up: it is the
yardstick the project's import (`schools.imports`) is measured against side by side, on
the same database in the same run (`day_import_vs_peer`).

On SQLite the rows are inserted in batches instead of COPY, so the test that the peer and
the import produce the same register runs in the normal suite on either backend.
"""

from __future__ import annotations

import csv
from itertools import islice
from pathlib import Path

from django.db import connection, transaction

PEER_STAGE = "bench_peer_stage"
SQLITE_CHUNK = 20_000

UPSERT = (
    "INSERT INTO schools_mark (school_id, pupil_id, date, session, code, recorded_at) "
    "SELECT sc.id, p.id, s.date, CASE s.session WHEN 'AM' THEN 0 ELSE 1 END, s.code, "
    "CURRENT_TIMESTAMP "
    f"FROM {PEER_STAGE} s JOIN schools_school sc ON sc.urn = s.urn "
    "JOIN schools_pupil p ON p.upn = s.upn WHERE true "
    "ON CONFLICT (school_id, pupil_id, date, session) DO UPDATE SET code = EXCLUDED.code, "
    "recorded_at = EXCLUDED.recorded_at "
    "WHERE schools_mark.code IS DISTINCT FROM EXCLUDED.code"
)


def peer_import(path: Path) -> int:
    """Load a marks CSV (urn, upn, date, session, mark) the plain way. Returns rows written."""
    date_type = "date" if connection.vendor == "postgresql" else "text"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {PEER_STAGE}")
        cursor.execute(
            f"CREATE TEMP TABLE {PEER_STAGE} (urn text, upn text, date {date_type}, "
            "session text, code text)"
        )
        if connection.vendor == "postgresql":
            with (
                cursor.connection.cursor().copy(
                    f"COPY {PEER_STAGE} FROM STDIN (FORMAT csv, HEADER true)"
                ) as copy,
                path.open("rb") as handle,
            ):
                while block := handle.read(1 << 20):
                    copy.write(block)
        else:
            with path.open(newline="", encoding="utf-8") as handle:
                reader = csv.reader(handle)
                next(reader, None)
                while chunk := list(islice(reader, SQLITE_CHUNK)):
                    cursor.executemany(
                        f"INSERT INTO {PEER_STAGE} VALUES (%s, %s, %s, %s, %s)", chunk
                    )
        cursor.execute(UPSERT)
        written = cursor.rowcount
        cursor.execute(f"DROP TABLE {PEER_STAGE}")
    return written
