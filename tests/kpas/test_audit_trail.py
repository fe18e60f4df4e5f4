"""The audit trail nobody can rewrite (issue 15 item 3; ADR 0011; docs/security.md).

Against the real database: on PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE of
audit rows for every role, and the application's own role holds INSERT and SELECT only.
Deleting a user never blanks who did what, and the admin cannot add, change or delete events.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml  # a dependency of drf-spectacular
from django.contrib.admin.sites import site as admin_site
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.test import RequestFactory

from kpas.base.audit import AuditAction, audit_record
from kpas.base.db_grants import audit_grants_apply
from kpas.base.models import AuditEvent, User
from kpas.base.roles import Role
from schools.models import ImportBatch
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database's own guard is PostgreSQL's"
)


def an_event() -> AuditEvent:
    officer = UserFactory(role=Role.ATTENDANCE_OFFICER, full_name="Olive Officer")
    return audit_record(actor=officer, action=AuditAction.CASE_VIEWED, detail={"n": 1})


def test_the_row_names_the_actor_in_its_own_columns():
    event = an_event()
    assert (event.actor_name, event.actor_email) == ("Olive Officer", event.actor.email)


def test_deleting_a_user_leaves_their_audit_rows_naming_them():
    event = an_event()
    user_id, email = event.actor_id, event.actor_email
    User.objects.filter(pk=user_id).delete()  # no UPDATE of the audit row: the trigger allows it
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.actor_id, event.actor_name, event.actor_email) == (
        user_id,
        "Olive Officer",
        email,
    )


def test_a_user_who_sent_a_file_cannot_be_deleted_from_under_it():
    user = UserFactory()
    batch = ImportBatch.objects.create(kind="pupils", filename="p.csv", sha256="0" * 64,
                                       uploaded_by=user)  # fmt: skip
    with pytest.raises(ProtectedError):
        user.delete()
    batch.refresh_from_db()
    assert batch.uploaded_by_id == user.pk


@postgres_only
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE kpas_auditevent SET action = 'case.opened' WHERE id = %s",
        "UPDATE kpas_auditevent SET actor_name = '' WHERE id = %s",
        "DELETE FROM kpas_auditevent WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_or_delete_an_audit_row(statement):
    event = an_event()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.CASE_VIEWED


@postgres_only
def test_the_orm_cannot_change_or_delete_an_audit_row_either():
    event = an_event()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(detail={})
    with pytest.raises(DatabaseError), transaction.atomic():
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk, detail={"n": 1}).exists()


@postgres_only
def test_truncate_is_refused_unless_the_session_is_a_tests_flush():
    an_event()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL kpas.audit_truncate = 'no'")
        cursor.execute("TRUNCATE kpas_auditevent CASCADE")
    assert AuditEvent.objects.exists()


APP_ROLE = "kpas_audit_test_app"


@postgres_only
def test_the_application_role_may_insert_and_read_but_not_update_or_delete():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}'")
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {APP_ROLE} NOLOGIN")
        # What the owner's default privileges give the role in production (deploy/).
        cursor.execute(f"GRANT ALL ON kpas_auditevent TO {APP_ROLE}")
    assert audit_grants_apply(role=APP_ROLE) is True
    event = an_event()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")
        cursor.execute(
            "INSERT INTO kpas_auditevent (action, object_type, object_id, detail, occurred_at,"
            " actor_name, actor_email) VALUES ('case.viewed', '', '', '{}', now(), '', '')"
        )
        cursor.execute("SELECT count(*) FROM kpas_auditevent")
        assert cursor.fetchone()[0] == 2
    for statement in ("UPDATE kpas_auditevent SET detail = '{}'", "DELETE FROM kpas_auditevent"):
        with (
            pytest.raises(DatabaseError, match="permission denied"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")
            cursor.execute(statement)
    assert AuditEvent.objects.filter(pk=event.pk, detail={"n": 1}).exists()


def test_grants_are_left_alone_without_an_application_role():
    assert audit_grants_apply(role="") is False


@pytest.mark.parametrize("permission", ["add", "change", "delete"])
def test_the_admin_cannot_add_change_or_delete_audit_events(permission):
    admin = UserFactory(role=Role.SERVICE_ADMIN, is_staff=True, is_superuser=True)
    request = RequestFactory().get("/admin/")
    request.user = admin
    model_admin = admin_site._registry[AuditEvent]
    event = an_event()
    check = getattr(model_admin, f"has_{permission}_permission")
    allowed = check(request) if permission == "add" else check(request, event)
    assert allowed is False


def test_the_admin_lists_events_of_deleted_users_by_name(client):
    event = an_event()
    User.objects.filter(pk=event.actor_id).delete()
    admin = UserFactory(role=Role.SERVICE_ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/admin/kpas/auditevent/")
    assert response.status_code == 200
    assert "Olive Officer" in response.content.decode()
    assert client.get(f"/admin/kpas/auditevent/{event.pk}/change/").status_code == 200
    assert client.get("/admin/kpas/auditevent/add/").status_code == 403


def test_compose_migrates_as_the_owner_and_runs_the_app_as_the_app_role():
    root = Path(__file__).resolve().parents[2]
    services = yaml.safe_load((root / "docker-compose.yml").read_text())["services"]
    assert services["migrate"]["environment"]["DATABASE_URL"].startswith("postgres://kpas:")
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://kpas_app:"), name
    assert services["migrate"]["environment"]["DATABASE_APP_ROLE"] == "kpas_app"
    init = root / "deploy" / "postgres-init" / "10-app-role.sh"
    assert (
        f"./{init.parent.relative_to(root)}:/docker-entrypoint-initdb.d:ro"
        in (services["postgres"]["volumes"])
    )
    assert "CREATE ROLE kpas_app" in init.read_text()


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_can_still_be_emptied_after_writing_audit_rows():
    # The runner empties every table with TRUNCATE after this test: the test settings' session
    # flag lets it past the trigger; a failure here shows as an error in teardown.
    an_event()
    assert AuditEvent.objects.count() == 1
