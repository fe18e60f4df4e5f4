"""The nightly fan-out runs on a real Celery worker over the configured broker
(the filesystem broker embedded, Redis when REDIS_URL is set): no eager mode."""

from __future__ import annotations

from datetime import date

import pytest

from schools.models import Alert, School
from schools.register_tasks import evaluate_county_task, evaluate_school_task

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker(celery_worker_all_queues):  # type: ignore[no-untyped-def]
    return celery_worker_all_queues


def test_evaluate_school_task_runs_on_a_worker(demo_world, worker):  # type: ignore[no-untyped-def]
    Alert.objects.all().delete()
    school = School.objects.get(urn="118001")
    result = evaluate_school_task.delay(school.pk, "2026-11-20")
    outcome = result.get(timeout=60)
    assert outcome["school_id"] == school.pk
    assert outcome["raised"] == Alert.objects.filter(school=school).count() > 0


def test_county_task_fans_out_to_every_school_in_batches(demo_world, worker):  # type: ignore[no-untyped-def]
    Alert.objects.all().delete()
    queued = evaluate_county_task.delay(date(2026, 11, 20).isoformat()).get(timeout=60)
    assert queued == School.objects.count()
    # The batch tasks (ADR 0015) run on the same worker after the fan-out returns.
    import time

    deadline = time.monotonic() + 120  # a loaded machine runs the fan-out slowly
    while time.monotonic() < deadline:
        if Alert.objects.values("school").distinct().count() == School.objects.count():
            break
        time.sleep(0.5)
    assert Alert.objects.values("school").distinct().count() == School.objects.count()


def test_an_import_queues_the_refresh_that_a_worker_applies(demo_world, worker):  # type: ignore[no-untyped-def]
    """DESIGN "How data flows": after each import, the school's projections and alerts are
    brought up to date on a worker, in batches of schools (ADR 0015)."""
    import time

    from schools.imports.services import import_run
    from schools.models import Mark, PupilYearRegister

    school = School.objects.get(urn="118001")
    pupil = school.enrolments.first().pupil
    before = PupilYearRegister.objects.get(school=school, pupil=pupil, academic_year=2026)
    csv = (
        "urn,upn,date,session,mark\n"
        f"118001,{pupil.upn},2026-11-23,AM,I\n"
        f"118001,{pupil.upn},2026-11-23,PM,I\n"
    ).encode()
    result = import_run(kind="marks", data=csv, filename="monday.csv")
    assert result.ok, result.errors
    assert Mark.objects.filter(pupil=pupil, date="2026-11-23").count() == 2
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        after = PupilYearRegister.objects.get(pk=before.pk)
        if after.authorised == before.authorised + 2:
            break
        time.sleep(0.5)
    assert after.authorised == before.authorised + 2
    assert after.possible == before.possible + 2


# --- issue 9 item 3: the tasks by purpose, no cycle hidden by a function-local import -------
UPLOAD_MODULES = (
    "schools/imports/services.py",
    "schools/uploads.py",
    "schools/upload_service.py",
    "schools/upload_tasks.py",
    "schools/register_tasks.py",
    "schools/views/uploads.py",
    "schools/api_imports.py",
)


@pytest.mark.parametrize("path", UPLOAD_MODULES)
def test_the_upload_modules_import_only_at_the_top(path: str) -> None:
    """The old schools/imports/services.py reached schools.tasks inside a function to dodge
    the cycle services -> tasks -> uploads -> services."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    tree = ast.parse((root / path).read_text())
    hidden = [
        node.lineno
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert hidden == [], f"{path}: imports inside functions at lines {hidden}"


def test_the_tasks_keep_their_names_and_share_the_house_options() -> None:
    from kpas.base.celery import app
    from kpas.base.queues import TASK_OPTIONS
    from schools import register_tasks, upload_tasks

    app.loader.import_default_modules()  # what a worker does: autodiscovery of <app>.tasks
    for name in (
        "schools.evaluate_school",
        "schools.evaluate_county",
        "schools.refresh_after_import",
        "schools.refresh_after_import_schools",
        "schools.evaluate_schools",
        "schools.check_import",
        "schools.apply_import",
    ):
        task = app.tasks[name]
        assert task.acks_late is TASK_OPTIONS["acks_late"]
        assert task.max_retries == TASK_OPTIONS["max_retries"]
    assert not hasattr(register_tasks, "TASK_OPTIONS") or (
        register_tasks.TASK_OPTIONS is TASK_OPTIONS
    )
    assert upload_tasks.TASK_OPTIONS is TASK_OPTIONS
