"""Writes of the documents pipeline: ask for a document, render it once, record a failure.

A request is a row with a uniqueness key, created in the caller's transaction; the render is
queued on commit. Rendering happens inside one transaction that also stores the bytes: a worker
killed mid-render rolls back everything the renderer wrote (its audit row too), and the row stays
"rendering" until the sweeper hands it to another worker.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kpas.base.audit import AuditAction, audit_record
from kpas.base.celery import app as celery_app
from kpas.base.documents.registry import kind_for
from kpas.base.models import Document, User

AUDIT_REQUESTED = AuditAction.DOCUMENT_REQUESTED
AUDIT_DOWNLOADED = AuditAction.DOCUMENT_DOWNLOADED
# Pending rows older than this are queued again (a queueing lost with the broker).
RENDER_TASK = "kpas.documents.render"
STALE_PENDING = timedelta(minutes=5)
# A render started longer ago than this is taken to be dead (its worker killed). Longer than
# the render task's hard time limit (kpas/base/documents/tasks.py), so a live render is never
# taken over.
STUCK_AFTER = timedelta(minutes=6)


def stuck_after() -> timedelta:
    return getattr(settings, "DOCUMENTS_STUCK_AFTER", STUCK_AFTER)


def document_request(
    *, kind: str, key: str, requested_by: User, params: dict[str, Any]
) -> Document:
    """Store a request for a document and queue its render once the transaction commits.

    Idempotent: the same key returns the existing row (a double click renders once). A failed
    document asked for again is queued again.
    """
    kind_for(kind)  # an unknown kind is a programming error: fail here, not in the worker
    with transaction.atomic():
        document, created = Document.objects.get_or_create(
            key=key, defaults={"kind": kind, "requested_by": requested_by, "params": params}
        )
        if not created and document.status == Document.Status.FAILED:
            document.status = Document.Status.PENDING
            document.error = ""
            document.attempts = 0
            document.save(update_fields=["status", "error", "attempts"])
            created = True
        if created:
            audit_record(
                actor=requested_by,
                action=AUDIT_REQUESTED,
                obj=document,
                detail={"kind": kind, **params},
            )
            document_id = document.pk
            transaction.on_commit(lambda: _queue(document_id))
    return document


def _queue(document_id: int) -> None:
    # By the task's stable name (kpas/base/documents/tasks.py): the tasks import this module.
    celery_app.send_task(RENDER_TASK, args=(document_id,))


def _claim(document_id: int, *, now: datetime, reclaim: bool = False) -> Document | None:
    """Mark the document as rendering (committed, so the progress page shows it), unless it is
    done or another live worker is rendering it (`reclaim`: the live render was this task's
    own, which lost the database)."""
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status in (Document.Status.READY, Document.Status.FAILED):
            return None
        if (
            not reclaim
            and document.status == Document.Status.RENDERING
            and document.started_at is not None
            and document.started_at > now - stuck_after()
        ):
            return None  # a live render holds it; the sweeper re-queues it if that one dies
        document.status = Document.Status.RENDERING
        document.started_at = now
        document.attempts += 1
        document.save(update_fields=["status", "started_at", "attempts"])
        return document


def document_render(*, document_id: int, reclaim: bool = False) -> Document | None:
    """Render one document unless it is already rendered (or being rendered by a live worker).

    The renderer runs inside the transaction that stores its bytes, with the row locked: a
    second worker waits, then finds it ready and returns."""
    if _claim(document_id, now=timezone.now(), reclaim=reclaim) is None:
        return Document.objects.defer("content").filter(pk=document_id).first()
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.status == Document.Status.READY:
            return document
        rendered = kind_for(document.kind).render(document)
        document.filename = rendered.filename
        document.content_type = rendered.content_type
        document.content = rendered.content
        document.size = len(rendered.content)
        document.status = Document.Status.READY
        document.ready_at = timezone.now()
        document.error = ""
        document.save(
            update_fields=[
                "filename", "content_type", "content", "size", "status", "ready_at", "error",
            ]
        )  # fmt: skip
        return document


def document_render_failed(*, document_id: int, error: str, final: bool) -> None:
    """Record a failed attempt; after the last retry the document is marked failed."""
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status == Document.Status.READY:
            return
        document.error = error[:2000]
        document.status = Document.Status.FAILED if final else Document.Status.PENDING
        document.save(update_fields=["error", "status"])


def document_downloaded(*, document: Document, user: User) -> None:
    audit_record(
        actor=user,
        action=AUDIT_DOWNLOADED,
        obj=document,
        detail={"kind": document.kind, "filename": document.filename, **document.params},
    )


def stuck_documents(*, now: datetime | None = None) -> list[int]:
    """Documents whose render was lost: pending long after the request, or rendering longer
    than any live render takes."""
    now = now or timezone.now()
    lost = Q(status=Document.Status.PENDING, requested_at__lt=now - STALE_PENDING) | Q(
        status=Document.Status.RENDERING, started_at__lt=now - stuck_after()
    )
    return list(Document.objects.filter(lost).order_by("pk").values_list("pk", flat=True))
