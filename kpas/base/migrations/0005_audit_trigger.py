"""The audit log is append-only in the database itself (ADR 0011).

On PostgreSQL a trigger refuses every UPDATE and DELETE of an audit row, whoever is connected,
and a statement trigger refuses TRUNCATE. The one way past TRUNCATE's is a session setting,
`kpas.audit_truncate = 'allow'`, which only the test settings set: Django's test runner empties
every table between transactional tests with TRUNCATE. UPDATE and DELETE have no way past.

SQLite (the embedded default) has no such guard; production runs on PostgreSQL, where the
application's role is also granted only INSERT and SELECT on the table (docs/security.md,
deploy/postgres-init/).
"""

from django.db import migrations

FORWARD = [
    """
CREATE OR REPLACE FUNCTION kpas_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND coalesce(current_setting('kpas.audit_truncate', true), '') = 'allow' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % of kpas_auditevent is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$""",
    """CREATE TRIGGER kpas_auditevent_no_update_or_delete
    BEFORE UPDATE OR DELETE ON kpas_auditevent
    FOR EACH ROW EXECUTE FUNCTION kpas_audit_append_only()""",
    """CREATE TRIGGER kpas_auditevent_no_truncate
    BEFORE TRUNCATE ON kpas_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION kpas_audit_append_only()""",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS kpas_auditevent_no_truncate ON kpas_auditevent",
    "DROP TRIGGER IF EXISTS kpas_auditevent_no_update_or_delete ON kpas_auditevent",
    "DROP FUNCTION IF EXISTS kpas_audit_append_only()",
]


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement, None)  # None: the % in RAISE is not a parameter


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement, None)


class Migration(migrations.Migration):
    dependencies = [("kpas", "0004_audit_append_only")]

    operations = [migrations.RunPython(forward, backward)]
