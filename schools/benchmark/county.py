"""Building and dropping the benchmark's synthetic county (PostgreSQL only).

The year is built server-side: the code arrays are generated in NumPy, written as
projections with COPY, and expanded into `schools_mark` rows by one INSERT ... SELECT per
chunk of schools, so building 95 million marks is bounded by PostgreSQL, not Python.
The last school day is left out of the build: it is the day the benchmark imports.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils import timezone
from stdnum.gb import upn as upn_check

from kpas.base.models import District
from schools.benchmark.synthetic import code_mix, generate_year, pupil_absence_propensities
from schools.calendar import academic_year_bounds
from schools.codes import CODE_BY_ORDINAL
from schools.models import School, TermDate
from schools.partitions import ensure_mark_partitions
from schools.register_arrays import (
    SLOTS_PER_YEAR,
)
from schools.school_calendar import calendar_for_school

BENCH_URN_PREFIX = "9"  # synthetic schools are URN 9xxxxx: never a real school
BENCH_YEAR = 2025
BENCH_SEED = 95_000_000
PHASES = (("primary", 0.75), ("secondary", 0.2), ("special", 0.05))
LARGE_SCHOOL_PUPILS = 1500
EXPAND_CHUNK = 25  # schools per INSERT ... SELECT when expanding arrays into marks


@dataclass
class BenchConfig:
    schools: int = 600
    pupils: int = 250_000
    reuse: bool = False
    workers: int = 2
    work_dir: Path = field(default_factory=lambda: Path(tempfile.gettempdir()))


@dataclass
class Timer:
    figures: dict[str, Any] = field(default_factory=dict)

    @contextmanager
    def measure(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.figures[name] = round(time.perf_counter() - start, 2)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- building the county ---------------------------------------------------------------
def bench_schools() -> Any:
    return School.objects.filter(urn__startswith=BENCH_URN_PREFIX).order_by("urn")


def county_build(config: BenchConfig) -> dict[str, Any]:
    """Create the synthetic county (schools, pupils, enrolments, projections, marks)."""
    timer = Timer()
    rng = np.random.default_rng(BENCH_SEED)
    py_rng = random.Random(BENCH_SEED)
    year_start, year_end = academic_year_bounds(BENCH_YEAR)
    with timer.measure("build_schools_pupils_s"):
        schools = _create_schools(config, py_rng)
        calendar = calendar_for_school(schools[0].pk, [BENCH_YEAR])
        days = calendar.school_days_between(year_start, year_end)
        pupils_by_school = _create_pupils(schools, config.pupils, py_rng)
    import_day = days[-1]
    offsets = np.array([(d - year_start).days for d in days[:-1]], dtype=np.int64)
    with timer.measure("build_projections_s"):
        _create_projections(schools, pupils_by_school, offsets, rng)
    with timer.measure("build_marks_s"):
        marks = _expand_marks(schools)
    analyze()
    return {**timer.figures, "marks_built": marks, "import_day": import_day.isoformat()}


def _create_schools(config: BenchConfig, rng: random.Random) -> list[School]:
    districts = list(District.objects.all())
    TermDate.objects.get_or_create(
        school=None,
        start=date(BENCH_YEAR, 9, 3),
        end=date(BENCH_YEAR + 1, 7, 22),
        kind=TermDate.Kind.TERM,
        defaults={"description": "bench year"},
    )
    phases = [p for p, _ in PHASES]
    weights = [w for _, w in PHASES]
    School.objects.bulk_create(
        School(
            urn=f"{BENCH_URN_PREFIX}{i:05d}",
            estab=f"{3000 + i % 7000:04d}",
            name=f"Bench School {i}",
            phase=(phase := "secondary" if i == 0 else rng.choices(phases, weights)[0]),
            school_type=School.Type.SPECIAL if phase == "special" else School.Type.ACADEMY,
            district=districts[i % len(districts)],
        )
        for i in range(config.schools)
    )
    _holidays(list(bench_schools()))
    return list(bench_schools())


def _holidays(schools: list[School]) -> None:
    """Half-term and the Christmas/Easter holidays for the bench year (all schools)."""
    breaks = [
        (date(2025, 10, 27), date(2025, 10, 31)),
        (date(2025, 12, 22), date(2026, 1, 2)),
        (date(2026, 2, 16), date(2026, 2, 20)),
        (date(2026, 3, 30), date(2026, 4, 10)),
        (date(2026, 5, 25), date(2026, 5, 29)),
    ]
    TermDate.objects.bulk_create(
        [
            TermDate(
                school=None, start=s, end=e, kind=TermDate.Kind.CLOSURE, description="bench holiday"
            )
            for s, e in breaks
        ],
        ignore_conflicts=True,
    )


def _create_pupils(schools: list[School], total: int, rng: random.Random) -> dict[int, range]:
    """Pupils and enrolments by COPY; returns each school's pupil id range."""
    # The first school is a large secondary (the page targets are for 1,500 pupils).
    per_school = (total - LARGE_SCHOOL_PUPILS) // (len(schools) - 1)
    extra = total - LARGE_SCHOOL_PUPILS - per_school * (len(schools) - 1)
    start = date(BENCH_YEAR, 9, 1)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM schools_pupil")
        next_id = cursor.fetchone()[0] + 1
        raw = cursor.connection
        ranges: dict[int, range] = {}
        with raw.cursor().copy(
            "COPY schools_pupil (id, upn, forename, surname, preferred_forename, "
            "preferred_surname, date_of_birth, gender, address_line_1, address_line_2, town, "
            "postcode, fsm, sen_support, ehcp, eal, child_in_care, care_la, social_worker, "
            "previously_looked_after, grt, known_to_early_help, known_to_social_care, "
            "known_to_youth_offending, updated_at) FROM STDIN"
        ) as copy:
            for index, school in enumerate(schools):
                count = (
                    LARGE_SCHOOL_PUPILS if index == 0 else per_school + (1 if index <= extra else 0)
                )
                ranges[school.pk] = range(next_id, next_id + count)
                for serial in range(count):
                    body = f"999{school.estab}{25 + serial // 1000 % 10:02d}{serial % 1000:03d}"
                    upn = upn_check.calc_check_digit(body) + body
                    dob = date(2011, 9, 1) + timedelta(days=rng.randrange(365 * 7))
                    flags = [rng.random() < r for r in (0.25, 0.13, 0.03, 0.15, 0.007)]
                    copy.write_row(
                        (
                            next_id + serial,
                            upn,
                            "Bench",
                            f"Pupil{serial}",
                            "",
                            "",
                            dob,
                            "U",
                            "",
                            "",
                            "",
                            "",
                            *flags,
                            "",
                            False,
                            False,
                            False,
                            False,
                            False,
                            False,
                            now,
                        )
                    )
                next_id += count
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('schools_pupil', 'id'), %s)", [next_id]
        )
        with raw.cursor().copy(
            "COPY schools_enrolment (pupil_id, school_id, start_date, registration, year_group)"
            " FROM STDIN"
        ) as copy:
            for school_id, ids in ranges.items():
                for pupil_id in ids:
                    copy.write_row((pupil_id, school_id, start, "single", ""))
    return ranges


def _create_projections(
    schools: list[School], ranges: dict[int, range], offsets: np.ndarray, rng: np.random.Generator
) -> None:
    now = timezone.now()
    with (
        connection.cursor() as cursor,
        cursor.connection.cursor().copy(
            "COPY schools_pupilyearregister (school_id, pupil_id, academic_year, codes, possible, "
            "present, approved_activity, authorised, unauthorised, not_possible, updated_at) "
            "FROM STDIN"
        ) as copy,
    ):
        for school in schools:
            ids = ranges[school.pk]
            mix = code_mix("Kent", school.phase)
            propensity = pupil_absence_propensities(rng, len(ids), mix.absence_rate)
            arrays = generate_year(rng, mix=mix, day_offsets=offsets, propensity=propensity)
            for pupil_id, row in zip(ids, arrays, strict=True):
                # Totals are left at zero: the projection refresh after the day import
                # recomputes them for every pupil, as it does in production.
                copy.write_row(
                    (school.pk, pupil_id, BENCH_YEAR, row.tobytes(), 0, 0, 0, 0, 0, 0, now)
                )


def _expand_marks(schools: list[School]) -> int:
    """schools_mark rows from the projection arrays, server-side."""
    ensure_mark_partitions([BENCH_YEAR])
    year_start, _ = academic_year_bounds(BENCH_YEAR)
    total = 0
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE IF NOT EXISTS bench_codes (ordinal int, code text)")
        cursor.execute("TRUNCATE bench_codes")
        cursor.executemany("INSERT INTO bench_codes VALUES (%s, %s)", list(CODE_BY_ORDINAL.items()))
        cursor.execute("SET work_mem = '256MB'")  # sort each chunk in memory
        for i in range(0, len(schools), EXPAND_CHUNK):
            chunk = [s.pk for s in schools[i : i + EXPAND_CHUNK]]
            cursor.execute(
                "INSERT INTO schools_mark (school_id, pupil_id, date, session, code, "
                "recorded_at) "
                "SELECT p.school_id, p.pupil_id, %s::date + slot / 2, slot %% 2, c.code, now() "
                "FROM schools_pupilyearregister p "
                "CROSS JOIN generate_series(0, %s) AS slot "
                "JOIN bench_codes c ON c.ordinal = get_byte(p.codes, slot) "
                "WHERE p.school_id = ANY(%s) AND p.academic_year = %s "
                "AND get_byte(p.codes, slot) <> 0 "
                "ORDER BY p.school_id, slot, p.pupil_id",  # the register's key order
                [year_start, SLOTS_PER_YEAR - 1, chunk, BENCH_YEAR],
            )
            total += cursor.rowcount
            done = min(i + EXPAND_CHUNK, len(schools))
            log(f"marks: {total:,} rows ({done}/{len(schools)} schools)")
    return total


def reset_import_day(school_ids: list[int], import_day: date) -> None:
    """Make a re-run measure the same work: the day not yet received, no alerts yet."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM schools_mark WHERE school_id = ANY(%s) AND date = %s",
            [school_ids, import_day],
        )
        cursor.execute("DELETE FROM schools_markchange WHERE school_id = ANY(%s)", [school_ids])
        # The returns' entries outlive their alerts (on_delete=SET_NULL, done here by hand:
        # raw SQL does not cascade), else a re-run (--reuse) stops on their foreign key.
        cursor.execute(
            "UPDATE returns_returnentry SET alert_id = NULL WHERE school_id = ANY(%s)",
            [school_ids],
        )
        cursor.execute("DELETE FROM schools_alert WHERE school_id = ANY(%s)", [school_ids])
        cursor.execute(
            "DELETE FROM schools_schoolmarkeddays WHERE school_id = ANY(%s)", [school_ids]
        )
        # The projections as the build left them (the day's slots empty, totals not yet
        # counted) and no dashboard figures: every run's follow-up does the first run's work.
        slot = (import_day - academic_year_bounds(BENCH_YEAR)[0]).days * 2
        cursor.execute(
            "UPDATE schools_pupilyearregister SET codes = overlay(codes PLACING "
            "'\\x0000'::bytea FROM %s FOR 2), possible = 0, present = 0, approved_activity = 0, "
            "authorised = 0, unauthorised = 0, not_possible = 0 "
            "WHERE school_id = ANY(%s) AND academic_year = %s",
            [slot + 1, school_ids, BENCH_YEAR],
        )
        cursor.execute("DELETE FROM figures_schoolfigures WHERE school_id = ANY(%s)", [school_ids])
        cursor.execute("DELETE FROM schools_importbatch WHERE filename LIKE 'bench-day%%'")


def analyze() -> None:
    with connection.cursor() as cursor:
        for table in (
            "schools_mark",
            "schools_pupil",
            "schools_enrolment",
            "schools_pupilyearregister",
            "schools_school",
        ):
            cursor.execute(f"ANALYZE {table}")


@transaction.atomic
def county_drop() -> None:
    """Remove the synthetic county (marks, projections, alerts, pupils, schools)."""
    ids = list(bench_schools().values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM schools_mark WHERE school_id = ANY(%s)", [ids])
        for table in ("schools_pupilyearregister", "schools_alert", "schools_markchange"):
            cursor.execute(f"DELETE FROM {table} WHERE school_id = ANY(%s)", [ids])
        cursor.execute(
            "DELETE FROM schools_importbatch WHERE school_id = ANY(%s) OR "
            "filename LIKE 'bench-day%%'",
            [ids],
        )
        cursor.execute(
            "DELETE FROM schools_pupil WHERE id IN (SELECT pupil_id FROM "
            "schools_enrolment WHERE school_id = ANY(%s))",
            [ids],
        )
        cursor.execute("DELETE FROM schools_enrolment WHERE school_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM schools_school WHERE id = ANY(%s)", [ids])
