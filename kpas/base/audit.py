"""Writing the audit log. One function, so every change and sensitive read is recorded alike."""

from __future__ import annotations

from typing import Any

from kpas.base.models import AuditEvent, User


def audit_record(
    *, actor: User | None, action: str, obj: Any = None, detail: dict[str, Any] | None = None
) -> AuditEvent:
    object_type = obj._meta.label_lower if obj is not None and hasattr(obj, "_meta") else ""
    object_id = str(obj.pk) if obj is not None and getattr(obj, "pk", None) is not None else ""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail or {},
    )
