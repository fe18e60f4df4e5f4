"""The application's database role may add audit rows and read them, never change them.

In production (docker-compose.yml) migrations run as the database's owner and the web and
worker processes connect as a separate role, named by `DATABASE_APP_ROLE`. The owner's default
privileges give that role read and write on every table; after every `migrate` this takes
UPDATE, DELETE and TRUNCATE on the audit table away again, so a new table or a re-created one
never brings them back. The trigger (kpas/base/migrations/0005_audit_trigger.py) refuses them
for every role as well; this is the second, independent lock (ADR 0011).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connections

AUDIT_TABLE = "kpas_auditevent"


def audit_grants_apply(*, using: str = "default", role: str | None = None) -> bool:
    """Give `role` (default: settings.DATABASE_APP_ROLE) INSERT and SELECT only on the audit
    table. False when there is nothing to do: not PostgreSQL, or no application role."""
    role = role if role is not None else getattr(settings, "DATABASE_APP_ROLE", "")
    connection = connections[using]
    if not role or connection.vendor != "postgresql":
        return False
    quoted = connection.ops.quote_name(role)
    with connection.cursor() as cursor:
        cursor.execute(f"REVOKE ALL ON {AUDIT_TABLE} FROM {quoted}")
        cursor.execute(f"GRANT SELECT, INSERT ON {AUDIT_TABLE} TO {quoted}")
        cursor.execute(f"GRANT USAGE, SELECT ON SEQUENCE {AUDIT_TABLE}_id_seq TO {quoted}")
    return True


def on_post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    if getattr(sender, "label", "") == "kpas":
        audit_grants_apply(using=using)
