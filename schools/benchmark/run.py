"""The measured operations of `manage.py bench`: importing a county day from CSV, an
identical re-send, the projection refresh, the nightly evaluation of every pupil, page
times, and a NumPy floor over the same arrays."""

from __future__ import annotations

import csv
import random
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from amqp.exceptions import ChannelError
from django.conf import settings
from django.db import connection

from kpas.base.celery import app
from kpas.base.queues import ALL_QUEUES
from schools.benchmark.county import (
    BENCH_URN_PREFIX,
    BENCH_YEAR,
    BenchConfig,
    Timer,
    analyze,
    bench_schools,
    county_build,
    log,
    reset_import_day,
)
from schools.benchmark.floors import numpy_floor, reference_floor
from schools.benchmark.pages import measure_home_pages, measure_pages
from schools.benchmark.peer import peer_import
from schools.register_tasks import SCHOOLS_PER_TASK, evaluate_schools_queue
from schools.school_calendar import calendar_for_school


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


class Workers:
    """Real Celery workers (one prefork worker, `concurrency` processes) for the benchmark,
    consuming every queue the project routes tasks to (kpas/base/queues.py)."""

    def __init__(self, concurrency: int) -> None:
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
                "--queues",
                ",".join(ALL_QUEUES),
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
        """Messages waiting in any of the project's queues (tasks are routed by name)."""
        waiting = 0
        for queue in ALL_QUEUES:
            try:
                waiting += int(
                    conn.default_channel.queue_declare(queue, passive=True).message_count
                )
            except ChannelError:  # Redis drops an empty queue's key: nothing queued
                continue
        return waiting

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
    reset_import_day([s.pk for s in schools], import_day)
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
    log(f"the plain-SQL peer imports the day: {figures['day_marks']:,} marks")
    with timer.measure("peer_import_s"):
        figures["peer_rows_written"] = peer_import(first)
    reset_import_day([s.pk for s in schools], import_day)  # the same work for our import
    with Workers(config.workers) as workers:
        log(f"importing one county day: {figures['day_marks']:,} marks")
        started = time.perf_counter()
        with timer.measure("day_import_s"):
            day_result = import_marks(first)
        log("waiting for the follow-up tasks (projection refresh, evaluation)")
        with timer.measure("import_follow_up_s"):
            workers.wait_idle()
        timer.figures["fresh_alerts_s"] = round(time.perf_counter() - started, 2)
        log("identical re-send and a re-export of the same marks")
        with timer.measure("identical_resend_s"):
            resend_result = import_marks(first)
        with timer.measure("reexport_same_marks_s"):
            reexport_result = import_marks(shuffled)
        workers.wait_idle()
        figures["day_import_counts"] = getattr(day_result, "counts", None)
        figures["resend_status"] = getattr(resend_result, "status", None)
        figures["reexport_counts"] = getattr(reexport_result, "counts", None)
        analyze()
        log(f"nightly evaluation: tasks of {SCHOOLS_PER_TASK} schools")
        with timer.measure("nightly_evaluation_s"):
            evaluate_schools_queue(school_ids=[s.pk for s in schools], as_of=import_day)
            workers.wait_idle()
        figures["worker_peak_memory_mb"] = workers.peak_memory_mb()
    log("page times")
    large = schools[0]
    upn = large.enrolments.order_by("pupil_id").values_list("pupil__upn", flat=True).first() or ""
    figures["pages"] = measure_pages(large.urn, upn)
    figures["pages"]["school_pupils"] = large.enrolments.count()
    log("county dashboard and officer home (precomputed figures)")
    figures["home_pages"] = measure_home_pages(schools)
    log("NumPy floor and the reference arithmetic")
    kernels = numpy_floor(schools, import_day)
    references = reference_floor(schools, import_day)
    floor, reference = sum(kernels.values()), sum(references.values())
    timer.figures["numpy_floor_s"] = round(floor, 2)
    timer.figures["reference_floor_s"] = round(reference, 2)
    # Each kernel beside the reference for the same part (issue 16 item 4).
    figures["floor_parts_s"] = {name: round(t, 2) for name, t in kernels.items()}
    figures["reference_parts_s"] = {name: round(t, 2) for name, t in references.items()}
    figures["kernel_vs_reference"] = {
        name: round(kernels[name] / t, 1) for name, t in references.items() if t
    }
    figures.update(timer.figures)
    nightly = timer.figures["nightly_evaluation_s"]
    figures["evaluation_vs_floor"] = round(nightly / floor, 1) if floor else None
    figures["evaluation_vs_reference"] = round(nightly / reference, 1) if reference else None
    # Like for like: the kernels that have a reference, against it.
    compared = sum(kernels[name] for name in references)
    figures["kernels_vs_reference"] = round(compared / reference, 1) if reference else None
    figures["day_import_vs_peer"] = round(
        timer.figures["day_import_s"] / max(timer.figures["peer_import_s"], 0.01), 2
    )
    figures["workers"] = config.workers
    return figures
