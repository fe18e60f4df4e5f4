"""An upload checked and confirmed, ready for a worker to apply; and a PostgreSQL lock the
test holds so that the worker stops at a known point mid-import."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import psycopg
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from kpas.base.roles import Role
from schools.models import ImportBatch, School, SchoolMembership
from schools.uploads import upload_check, upload_confirm, upload_receive
from tests.factories import UserFactory
from tests.factories.register import fill, pupil_at, school_with_terms
from tests.faults.conftest import WORKER_APPLICATION_NAME

DAY1, DAY2 = date(2025, 9, 8), date(2025, 9, 9)


@dataclass
class ImportWorld:
    school: School
    batch: ImportBatch
    counts: dict[str, int]  # what applying it does to the marks
    marks_after: int


def import_world(urn: str = "118001") -> ImportWorld:
    """A school holding 8 September for one pupil, and a confirmed marks file for it: one
    mark unchanged, one corrected, four new."""
    school = school_with_terms(urn=urn, name="Oakfield Primary School")
    pupil, classmate = pupil_at(school), pupil_at(school)
    fill(school, pupil, DAY1, DAY1)
    head = UserFactory(role=Role.HEADTEACHER, full_name="Helen Hart")
    SchoolMembership.objects.create(user=head, school=school)
    lines = ["urn,upn,date,session,mark"] + [
        f"{urn},{upn},{day.isoformat()},{session},{code}"
        for upn, day, session, code in (
            (pupil.upn, DAY1, "AM", "/"),
            (pupil.upn, DAY1, "PM", "I"),
            (pupil.upn, DAY2, "AM", "/"),
            (pupil.upn, DAY2, "PM", "\\"),
            (classmate.upn, DAY2, "AM", "L"),
            (classmate.upn, DAY2, "PM", "\\"),
        )
    ]
    upload = SimpleUploadedFile(
        "marks.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv"
    )
    batch = upload_receive(actor=head, school=school, kind="marks", upload=upload)
    batch = upload_check(batch=batch)
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.errors
    assert upload_confirm(actor=head, batch=batch)
    return ImportWorld(
        school=school,
        batch=batch,
        counts={"added": 4, "updated": 1, "unchanged": 1},
        marks_after=6,
    )


def _conninfo() -> str:
    db = connection.settings_dict
    parts = {
        "dbname": db["NAME"],
        "user": db["USER"],
        "password": db["PASSWORD"],
        "host": db["HOST"] or "localhost",
        "port": db["PORT"] or 5432,
    }
    return " ".join(f"{key}={value}" for key, value in parts.items() if value)


@contextmanager
def table_lock(table: str) -> Iterator[Callable[[], bool]]:
    """Hold a lock that blocks every insert into `table` (on a connection of its own) and
    yield a check: is a worker waiting for it? Released (rolled back) on leaving."""
    with psycopg.connect(_conninfo()) as holder:
        holder.execute(f'LOCK TABLE "{table}" IN SHARE MODE')  # a test's own table name

        def waiting() -> bool:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s"
                    " AND datname = current_database() AND wait_event_type = 'Lock'",
                    [WORKER_APPLICATION_NAME],
                )
                return bool(cursor.fetchone()[0])

        try:
            yield waiting
        finally:
            holder.rollback()
