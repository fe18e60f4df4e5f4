"""Checking and writing a file's register marks as sets, never row by row.

The marks are loaded into a temporary table (COPY on PostgreSQL, batched inserts on SQLite);
from there the same SQL on both backends resolves URN/UPN to ids, finds unknown schools and
pupils, rows outside an enrolment and conflicting duplicates, works out what differs from the
register, writes a MarkChange for every changed mark and upserts only what differs. An
identical re-send therefore writes nothing at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from schools.calendar import academic_year_of
from schools.imports.common import NO_SUCH_SCHOOL, RowError, RowErrors, Touched
from schools.partitions import ensure_mark_partitions, partition_name

# (line, urn, upn, ISO date, session 0/1, code)
StageRow = tuple[int, str, str, str, int, str]

STAGE = "kpas_mark_stage"
RESOLVED = "kpas_mark_resolved"
DELTA = "kpas_mark_delta"
REPEATED = "kpas_mark_repeated"
SQLITE_CHUNK = 20_000
ANALYZE_AFTER = 100_000  # marks written by one file

NO_SUCH_PUPIL = "upn: no pupil has UPN {upn!r}"
NOT_ENROLLED = "upn: UPN {upn} is not enrolled at URN {urn} on {date}"
# A school's own upload hears only this, whether the UPN is unknown to the authority or a
# pupil of another school: it must not learn that a pupil exists elsewhere (issue 10 item 3).
NOT_ENROLLED_HERE = "upn: UPN {upn} is not enrolled at your school on {date}"
CONFLICTING_MARK = (
    "the mark for UPN {upn} on {date} {session} is already given on line {first} as "
    "'{first_code}' and here as '{code}'"
)
SESSION_NAMES = {0: "AM", 1: "PM"}


@dataclass
class MarkDiff:
    total: int  # distinct marks in the file
    added: int
    changed: int
    kept: int = 0  # differing marks left as the register has them (a CTF fills only)
    newer: int = 0  # differing marks left because a file received later wrote them (ADR 0013)

    @property
    def unchanged(self) -> int:
        return self.total - self.added - self.changed - self.kept - self.newer

    def as_counts(self) -> dict[str, int]:
        counts = {"added": self.added, "updated": self.changed, "unchanged": self.unchanged}
        if self.kept:
            counts["kept_register_mark"] = self.kept
        if self.newer:
            counts["not_applied_newer"] = self.newer
        return counts


class MarkStaging:
    """One file's marks in temporary tables, for the life of one transaction."""

    def __init__(self, *, fill_only: bool = False) -> None:
        # fill_only: write marks only into sessions with none (a CTF never replaces the
        # school's own register, DOMAIN §15); differing marks are kept and reported.
        self.fill_only = fill_only
        self.postgres = connection.vendor == "postgresql"
        self.dates: set[date] = set()
        self.loaded = 0
        self.resolved = 0  # rows whose URN and UPN are known
        self.repeats = 0  # rows repeating an earlier row exactly
        self._drop()
        date_type = "date" if self.postgres else "text"
        self._execute(
            # text, not varchar(n): an over-long URN or UPN is a row error, not a failed COPY
            f"CREATE TEMP TABLE {STAGE} (line integer NOT NULL, urn text NOT NULL, "
            f"upn text NOT NULL, date {date_type} NOT NULL, session smallint NOT NULL, "
            "code text NOT NULL)"
        )

    # --- helpers ------------------------------------------------------------------------
    def _execute(self, sql: str, params: Iterable[Any] = ()) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))

    def _fetch(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            return cursor.fetchall()

    def _stream(self, sql: str) -> Iterator[tuple[Any, ...]]:
        """A query's rows a few at a time: a file of bad rows has as many error rows."""
        with connection.cursor() as cursor:
            cursor.execute(sql)
            while rows := cursor.fetchmany(SQLITE_CHUNK):
                yield from rows

    def _analyze(self, table: str) -> None:
        if self.postgres:  # temp tables are never auto-analysed; the planner needs row counts
            self._execute(f"ANALYZE {table}")

    def _drop(self) -> None:
        for table in (REPEATED, DELTA, RESOLVED, STAGE):
            self._execute(f"DROP TABLE IF EXISTS {table}")

    def close(self) -> None:
        self._drop()

    @staticmethod
    def _day(value: Any) -> date:
        return value if isinstance(value, date) else date.fromisoformat(value)

    # --- loading --------------------------------------------------------------------------
    def load(self, rows: Iterable[StageRow]) -> int:
        """Load rows from a generator, a chunk at a time: the file is never held in memory.
        In a savepoint, so that a file refused while it is read (a byte that is not UTF-8 on
        its millionth line) leaves the transaction usable for dropping the staging."""
        with transaction.atomic():
            count = self._load(rows)
        # (not analysed: only scanned whole, and the row count comes from its size)
        self.loaded += count
        bounds = self._fetch(f"SELECT DISTINCT date FROM {STAGE}")
        self.dates = {self._day(d) for (d,) in bounds}
        return count

    def _load(self, rows: Iterable[StageRow]) -> int:
        count = 0
        if self.postgres:
            with connection.cursor() as cursor:
                raw = cursor.connection  # the psycopg 3 connection, for COPY
                with (
                    raw.cursor() as pg_cursor,
                    pg_cursor.copy(
                        f"COPY {STAGE} (line, urn, upn, date, session, code) FROM STDIN"
                    ) as copy,
                ):
                    for row in rows:
                        copy.write_row(row)
                        count += 1
        else:
            sql = f"INSERT INTO {STAGE} VALUES (%s, %s, %s, %s, %s, %s)"
            iterator: Iterator[StageRow] = iter(rows)
            with connection.cursor() as cursor:
                while chunk := list(islice(iterator, SQLITE_CHUNK)):
                    cursor.executemany(sql, chunk)
                    count += len(chunk)
            self._execute(f"CREATE INDEX {STAGE}_key ON {STAGE} (upn, urn, date, session)")
        return count

    # --- checking -------------------------------------------------------------------------
    def resolve(
        self,
        *,
        require_pupils: bool = True,
        require_enrolment: bool = True,
        check_duplicates: bool = True,
        own_school: bool = False,
        errors: RowErrors | None = None,
    ) -> RowErrors:
        """Ids for every row, and an error for every row naming an unknown school or pupil,
        outside the pupil's enrolment at that school, or giving a session already given on an
        earlier line with a different mark (an identical repeat is harmless). `own_school`:
        a school's own upload, told only "not enrolled at your school" for a pupil that is
        unknown or elsewhere. The errors are added to `errors` (counted, the first kept)."""
        errors = RowErrors() if errors is None else errors
        self.repeats = 0
        self._execute(f"DROP TABLE IF EXISTS {RESOLVED}")
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMP TABLE {RESOLVED} AS "
                "SELECT s.line, s.urn, s.upn, s.date, s.session, s.code, "
                "sc.id AS school_id, p.id AS pupil_id "
                f"FROM {STAGE} s JOIN schools_school sc ON sc.urn = s.urn "
                "JOIN schools_pupil p ON p.upn = s.upn"
            )
            created = cursor.rowcount  # PostgreSQL reports the rows; SQLite gives -1
        self._analyze(RESOLVED)
        if created < 0:
            created = int(self._fetch(f"SELECT COUNT(*) FROM {RESOLVED}")[0][0])
        self.resolved = created
        if self.resolved < self.loaded:  # some URN or UPN is unknown: find which rows
            for line, urn, upn, day, no_school, no_pupil in self._stream(
                "SELECT s.line, s.urn, s.upn, s.date, sc.id IS NULL, p.id IS NULL "
                f"FROM {STAGE} s LEFT JOIN schools_school sc ON sc.urn = s.urn "
                "LEFT JOIN schools_pupil p ON p.upn = s.upn "
                "WHERE sc.id IS NULL OR p.id IS NULL ORDER BY s.line"
            ):
                if no_school:
                    errors.append(RowError(line, NO_SUCH_SCHOOL.format(value=urn)))
                if no_pupil and require_pupils:
                    text = (
                        NOT_ENROLLED_HERE.format(upn=upn, date=self._day(day))
                        if own_school
                        else NO_SUCH_PUPIL.format(upn=upn)
                    )
                    errors.append(RowError(line, text))
        if require_enrolment:
            for line, urn, upn, day in self._stream(
                f"SELECT r.line, r.urn, r.upn, r.date FROM {RESOLVED} r WHERE NOT EXISTS ("
                "SELECT 1 FROM schools_enrolment e WHERE e.pupil_id = r.pupil_id "
                "AND e.school_id = r.school_id AND e.start_date <= r.date "
                "AND (e.end_date IS NULL OR e.end_date >= r.date)) ORDER BY r.line"
            ):
                text = (
                    NOT_ENROLLED_HERE.format(upn=upn, date=self._day(day))
                    if own_school
                    else NOT_ENROLLED.format(upn=upn, urn=urn, date=self._day(day))
                )
                errors.append(RowError(line, text))
        if check_duplicates:
            self._duplicates(errors)
        return errors

    def _duplicates(self, errors: RowErrors) -> None:
        """A session given again: harmless if the mark is the same, an error if it differs.
        One pass finds repeated sessions (normally none); only those are then examined."""
        key = "urn, upn, date, session"
        repeated = int(
            self._fetch(
                f"SELECT COUNT(*) FROM (SELECT {key} FROM {STAGE} GROUP BY {key} "
                "HAVING COUNT(*) > 1) x"
            )[0][0]
        )
        if not repeated:
            return
        self._execute(f"DROP TABLE IF EXISTS {REPEATED}")
        self._execute(
            f"CREATE TEMP TABLE {REPEATED} AS SELECT s.line, s.urn, s.upn, s.date, s.session, "
            f"s.code FROM {STAGE} s JOIN (SELECT {key} FROM {STAGE} GROUP BY {key} "
            "HAVING COUNT(*) > 1) k ON k.urn = s.urn AND k.upn = s.upn AND k.date = s.date "
            "AND k.session = s.session"
        )
        for line, first, upn, day, session, code, first_code in self._stream(
            "SELECT d.line, d.first, d.upn, d.date, d.session, d.code, f.code FROM ("
            "SELECT b.line, MIN(CASE WHEN a.code <> b.code THEN a.line END) AS first, "
            "b.upn, b.date, b.session, b.code "
            f"FROM {REPEATED} b JOIN {REPEATED} a ON a.upn = b.upn AND a.urn = b.urn "
            "AND a.date = b.date AND a.session = b.session AND a.line < b.line "
            "GROUP BY b.line, b.upn, b.date, b.session, b.code) d "
            f"LEFT JOIN {REPEATED} f ON f.line = d.first ORDER BY d.line"
        ):
            if first is None:
                self.repeats += 1
                continue
            errors.append(
                RowError(
                    line,
                    CONFLICTING_MARK.format(
                        upn=upn,
                        date=self._day(day),
                        session=SESSION_NAMES[session],
                        first=first,
                        first_code=first_code,
                        code=code,
                    ),
                )
            )
        self._execute(f"DROP TABLE {REPEATED}")

    def unknown_pupil_marks(self) -> int:
        """Distinct marks of pupils not yet on file (a CTF preview: they would all be added)."""
        return int(
            self._fetch(
                "SELECT COUNT(*) FROM (SELECT DISTINCT s.upn, s.urn, s.date, s.session "
                f"FROM {STAGE} s LEFT JOIN schools_pupil p ON p.upn = s.upn WHERE p.id IS NULL) x"
            )[0][0]
        )

    # --- comparing with the register ------------------------------------------------------
    def diff(self) -> MarkDiff:
        """What applying would do: marks new to the register and marks that differ."""
        self._execute(f"DROP TABLE IF EXISTS {DELTA}")
        if not self.dates:
            return MarkDiff(0, 0, 0)
        low, high = min(self.dates), max(self.dates)
        adapt = connection.ops.adapt_datefield_value
        source = RESOLVED  # repeated identical rows are collapsed first, if there are any
        if self.repeats:
            source = f"(SELECT DISTINCT school_id, pupil_id, date, session, code FROM {RESOLVED})"
        self._execute(
            f"CREATE TEMP TABLE {DELTA} AS "
            "SELECT r.school_id, r.pupil_id, r.date, r.session, r.code, m.code AS old_code "
            f"FROM {source} r "
            "LEFT JOIN schools_mark m ON m.school_id = r.school_id AND m.pupil_id = r.pupil_id "
            "AND m.date = r.date AND m.session = r.session AND m.date BETWEEN %s AND %s "
            "WHERE m.code IS NULL OR m.code <> r.code",
            [adapt(low), adapt(high)],
        )
        total = self.resolved - self.repeats
        added, changed = self._fetch(
            "SELECT COALESCE(SUM(CASE WHEN old_code IS NULL THEN 1 ELSE 0 END), 0), "
            f"COALESCE(SUM(CASE WHEN old_code IS NULL THEN 0 ELSE 1 END), 0) FROM {DELTA}"
        )[0]
        if self.fill_only:
            return MarkDiff(total=int(total), added=int(added), changed=0, kept=int(changed))
        return MarkDiff(total=int(total), added=int(added), changed=int(changed))

    # --- writing --------------------------------------------------------------------------
    def _drop_newer(self, batch_id: int) -> int:
        """Leave out every mark the register has from a file received after this one: a
        task delivered late (a lost worker, Redis's visibility timeout) never undoes newer
        corrections (issue 15 item 1, ADR 0013). Returns how many were left out."""
        received = "(SELECT created_at FROM schools_importbatch WHERE id = %s)"
        if not self._fetch(
            f"SELECT COUNT(*) FROM schools_importbatch WHERE created_at > {received}",
            [batch_id],
        )[0][0]:
            return 0  # nothing received since: the usual case costs one small query
        before = int(self._fetch(f"SELECT COUNT(*) FROM {DELTA}")[0][0])
        self._execute(
            f"DELETE FROM {DELTA} WHERE old_code IS NOT NULL AND EXISTS (SELECT 1 "
            "FROM schools_mark m JOIN schools_importbatch b ON b.id = m.source_import_id "
            f"WHERE m.school_id = {DELTA}.school_id AND m.pupil_id = {DELTA}.pupil_id "
            f"AND m.date = {DELTA}.date AND m.session = {DELTA}.session "
            f"AND b.created_at > {received})",
            [batch_id],
        )
        return before - int(self._fetch(f"SELECT COUNT(*) FROM {DELTA}")[0][0])

    def apply(self, *, batch_id: int) -> tuple[MarkDiff, Touched]:
        """Write the difference: MarkChange rows for changed marks, then the upsert. Every
        mark written and every MarkChange names the file (`source_import`) it came from."""
        diff = self.diff()
        touched = Touched()
        if not diff.added and not diff.changed:
            return diff, touched
        if self.fill_only:  # only the sessions with no mark: the register's own are kept
            self._execute(f"DELETE FROM {DELTA} WHERE old_code IS NOT NULL")
        elif diff.changed and (newer := self._drop_newer(batch_id)):
            diff.changed, diff.newer = diff.changed - newer, newer
            if not diff.added and not diff.changed:
                return diff, touched
        ensure_mark_partitions({academic_year_of(d) for d in self.dates})
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        if diff.changed:
            self._execute(
                "INSERT INTO schools_markchange (school_id, pupil_id, date, session, "
                "previous_code, new_code, source_import_id, changed_at) "
                "SELECT school_id, pupil_id, date, session, old_code, code, %s, %s "
                f"FROM {DELTA} WHERE old_code IS NOT NULL",
                [batch_id, now],
            )
        self._execute(
            "INSERT INTO schools_mark (school_id, pupil_id, date, session, code, "
            "source_import_id, recorded_at) "
            f"SELECT school_id, pupil_id, date, session, code, %s, %s FROM {DELTA} WHERE true "
            "ORDER BY school_id, date, pupil_id, session "  # index order: far fewer page splits
            "ON CONFLICT (school_id, pupil_id, date, session) DO UPDATE SET "
            "code = EXCLUDED.code, source_import_id = EXCLUDED.source_import_id, "
            "recorded_at = EXCLUDED.recorded_at "
            "WHERE schools_mark.code IS DISTINCT FROM EXCLUDED.code",
            [batch_id, now],
        )
        # The follow-up works by school and date (schools/projections_batch.py); the pupils
        # are not fetched: after a county's morning that would be 250,000 rows for nothing.
        for school_id, day in self._fetch(f"SELECT DISTINCT school_id, date FROM {DELTA}"):
            touched.dates.setdefault(school_id, set()).add(self._day(day))
        if self.postgres and diff.added + diff.changed >= ANALYZE_AFTER:
            # Autovacuum is off on these servers: refresh the planner's view of the partitions.
            for year in sorted({academic_year_of(d) for d in self.dates}):
                self._execute(f"ANALYZE {partition_name(year)}")
        return diff, touched
