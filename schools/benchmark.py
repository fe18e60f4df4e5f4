"""The county-scale benchmark behind `manage.py bench` (PostgreSQL only).

It builds a synthetic county — schools, pupils, enrolments and a school year of marks with
Kent's published code mix — then measures the operations the service must do every day:
importing a county day from CSV, an identical re-send, the projection refresh, and the
nightly evaluation of every pupil, against a NumPy floor over the same arrays.

The year is built server-side: the code arrays are generated in NumPy, written as
projections with COPY, and expanded into `schools_mark` rows by one INSERT ... SELECT per
chunk of schools, so building 95 million marks is bounded by PostgreSQL, not Python.
The last school day is left out of the build: it is the day the benchmark imports.
"""

from __future__ import annotations

import csv
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from amqp.exceptions import ChannelError
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from stdnum.gb import upn as upn_check

from kpas.base.models import District
from schools.calendar import academic_year_bounds
from schools.codes import CODE_BY_ORDINAL
from schools.models import School, TermDate
from schools.partitions import ensure_mark_partitions
from schools.register_arrays import (
    SLOTS_PER_YEAR,
    category_counts,
    overdue_n_counts,
    slot_calendar,
    slot_of,
    threshold_first_met,
)
from schools.rules import PM
from schools.run_arrays import illness_sessions, longest_illness_run, longest_unauthorised_run
from schools.school_calendar import calendar_for_school
from schools.synthetic import code_mix, generate_year, pupil_absence_propensities

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
    _analyze()
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


def _reset_import_day(school_ids: list[int], import_day: date) -> None:
    """Make a re-run measure the same work: the day not yet received, no alerts yet."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM schools_mark WHERE school_id = ANY(%s) AND date = %s",
            [school_ids, import_day],
        )
        cursor.execute("DELETE FROM schools_markchange WHERE school_id = ANY(%s)", [school_ids])
        cursor.execute("DELETE FROM schools_alert WHERE school_id = ANY(%s)", [school_ids])
        cursor.execute("DELETE FROM schools_importbatch WHERE filename LIKE 'bench-day%%'")


def _analyze() -> None:
    with connection.cursor() as cursor:
        for table in (
            "schools_mark",
            "schools_pupil",
            "schools_enrolment",
            "schools_pupilyearregister",
            "schools_school",
        ):
            cursor.execute(f"ANALYZE {table}")


# --- the measured operations -------------------------------------------------------------
def day_csv(path: Path, import_day: date, *, shuffled: bool = False) -> int:
    """A county day as the marks CSV a set of MIS exports would give: two marks a pupil."""
    rng = np.random.default_rng(7)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.urn, p.upn, s.phase FROM schools_enrolment e "
            "JOIN schools_school s ON s.id = e.school_id JOIN schools_pupil p ON p.id = e.pupil_id "
            "WHERE s.urn LIKE %s ORDER BY s.urn, p.id",
            [f"{BENCH_URN_PREFIX}%"],
        )
        rows = cursor.fetchall()
    am_codes = np.array(
        [
            "/",
            "/",
            "/",
            "/",
            "/",
            "/",
            "/",
            "/",
            "/",
            "/",
            "/",
            "/",
            "/",
            "/",
            "L",
            "I",
            "O",
            "G",
            "M",
            "N",
        ]
    )
    picks = rng.integers(0, len(am_codes), size=len(rows))
    day = import_day.isoformat()
    lines = []
    for (urn, upn, _), pick in zip(rows, picks.tolist(), strict=True):
        am = am_codes[pick]
        pm = "\\" if am in {"/", "L"} else am
        lines.append((urn, upn, day, "AM", am))
        lines.append((urn, upn, day, "PM", pm))
    if shuffled:
        random.Random(11).shuffle(lines)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["urn", "upn", "date", "session", "mark"])
        writer.writerows(lines)
    return len(lines)


def numpy_floor(schools: list[School], as_of: date) -> float:
    """The same statistics, threshold, run and N-code arithmetic over the whole county's
    code arrays held in memory: no database, no Python per pupil. Returns seconds."""
    year = BENCH_YEAR
    year_start = academic_year_bounds(year)[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT codes FROM schools_pupilyearregister WHERE academic_year = %s "
            "AND school_id = ANY(%s) ORDER BY school_id, pupil_id",
            [year, [s.pk for s in schools]],
        )
        current = np.stack([np.frombuffer(bytes(row[0]), dtype=np.uint8) for row in cursor])
    before = np.zeros_like(current)
    calendar = calendar_for_school(schools[0].pk, [year - 1, year])
    slots = slot_calendar(calendar, year - 1, 2)
    as_of_slot = slot_of(as_of, PM, year_start)
    start = time.perf_counter()
    category_counts(current, as_of_slot=as_of_slot)
    threshold_first_met(before, current, slots, as_of_slot=as_of_slot)
    both = np.concatenate([before, current], axis=1)
    window = {"start_slot": SLOTS_PER_YEAR, "end_slot": SLOTS_PER_YEAR + as_of_slot}
    longest_unauthorised_run(both, slots, **window)
    longest_illness_run(both, slots, **window)
    illness_sessions(current, as_of_slot=as_of_slot)
    overdue_n_counts(both, slots, as_of=as_of)
    return time.perf_counter() - start


class Workers:
    """Real Celery workers (one prefork worker, `concurrency` processes) for the benchmark."""

    def __init__(self, concurrency: int) -> None:
        from kpas.base.celery import app

        self.app = app
        self.concurrency = concurrency
        self.process: subprocess.Popen[bytes] | None = None
        self.hostname = f"bench@{socket.gethostname()}"

    def __enter__(self) -> Workers:
        self.app.control.purge()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "kpas",
                "worker",
                "--loglevel",
                "WARNING",
                "--concurrency",
                str(self.concurrency),
                "--hostname",
                "bench@%h",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=settings.BASE_DIR,
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.app.control.inspect(destination=[self.hostname], timeout=1).ping():
                return self
        raise RuntimeError("the benchmark's Celery worker did not start")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=60)

    def wait_idle(self, timeout: float = 1800) -> None:
        """Until the queue is empty and no task is reserved or running."""
        deadline = time.monotonic() + timeout
        with self.app.connection_for_read() as conn:
            while time.monotonic() < deadline:
                queued = self._queued(conn)
                # Asking our one worker by name returns as soon as it answers.
                inspect = self.app.control.inspect(destination=[self.hostname], limit=1, timeout=5)
                busy = [t for tasks in (inspect.active() or {}).values() for t in tasks]
                busy += [t for tasks in (inspect.reserved() or {}).values() for t in tasks]
                if queued == 0 and not busy:
                    return
                time.sleep(0.2)
        raise RuntimeError("the benchmark's tasks did not finish in time")

    @staticmethod
    def _queued(conn: Any) -> int:
        try:
            return int(conn.default_channel.queue_declare("celery", passive=True).message_count)
        except ChannelError:  # Redis drops an empty queue's key: nothing queued
            return 0

    def peak_memory_mb(self) -> int:
        """The largest peak resident size (VmHWM) among the worker's processes."""
        assert self.process is not None
        pids = [self.process.pid]
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            if f"\nPPid:\t{self.process.pid}\n" in text:
                pids.append(int(status.parent.name))
        peaks = []
        for pid in pids:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) // 1024)
            except OSError:
                continue
        return max(peaks, default=0)


def run(config: BenchConfig, *, import_marks: Callable[[Path], Any]) -> dict[str, Any]:
    """Build (or reuse) the county and measure; returns the figures."""
    if connection.vendor != "postgresql":
        raise RuntimeError("the benchmark runs on PostgreSQL: set DATABASE_URL")
    if not settings.REDIS_URL:
        raise RuntimeError("the benchmark's workers use Redis: set REDIS_URL")
    figures: dict[str, Any] = {"schools": config.schools, "pupils": config.pupils}
    if bench_schools().exists() and not config.reuse:
        raise RuntimeError("a bench county exists: pass --reuse or use an empty database")
    if not bench_schools().exists():
        log("building the synthetic county")
        figures["build"] = county_build(config)
    schools = list(bench_schools())
    calendar = calendar_for_school(schools[0].pk, [BENCH_YEAR])
    import_day = calendar.last_day
    assert import_day is not None
    _reset_import_day([s.pk for s in schools], import_day)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM schools_mark WHERE school_id = ANY(%s) AND date < %s",
            [[s.pk for s in schools], import_day],
        )
        figures["marks_before_day"] = cursor.fetchone()[0]

    timer = Timer()
    work = config.work_dir
    first, shuffled = work / "bench-day.csv", work / "bench-day-reexport.csv"
    figures["day_marks"] = day_csv(first, import_day)
    day_csv(shuffled, import_day, shuffled=True)
    with Workers(config.workers) as workers:
        log(f"importing one county day: {figures['day_marks']:,} marks")
        with timer.measure("day_import_s"):
            day_result = import_marks(first)
        log("waiting for the per-school follow-up tasks (projection refresh, evaluation)")
        with timer.measure("import_follow_up_s"):
            workers.wait_idle()
        log("identical re-send and a re-export of the same marks")
        with timer.measure("identical_resend_s"):
            resend_result = import_marks(first)
        with timer.measure("reexport_same_marks_s"):
            reexport_result = import_marks(shuffled)
        workers.wait_idle()
        figures["day_import_counts"] = getattr(day_result, "counts", None)
        figures["resend_status"] = getattr(resend_result, "status", None)
        figures["reexport_counts"] = getattr(reexport_result, "counts", None)
        _analyze()
        log("nightly evaluation: one task per school")
        from schools.tasks import evaluate_schools_queue

        with timer.measure("nightly_evaluation_s"):
            evaluate_schools_queue(school_ids=[s.pk for s in schools], as_of=import_day)
            workers.wait_idle()
        figures["worker_peak_memory_mb"] = workers.peak_memory_mb()
    log("page times")
    from schools.benchmark_pages import measure_pages

    large = schools[0]
    upn = large.enrolments.order_by("pupil_id").values_list("pupil__upn", flat=True).first() or ""
    figures["pages"] = measure_pages(large.urn, upn)
    figures["pages"]["school_pupils"] = large.enrolments.count()
    log("NumPy floor")
    floor = numpy_floor(schools, import_day)
    timer.figures["numpy_floor_s"] = round(floor, 2)
    figures.update(timer.figures)
    figures["evaluation_vs_floor"] = (
        round(timer.figures["nightly_evaluation_s"] / floor, 1) if floor else None
    )
    figures["workers"] = config.workers
    return figures


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
