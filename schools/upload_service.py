"""The one place that decides how an uploaded file is handled: in the request, or by a worker.

The web pages (schools/views/uploads.py) and the API (schools/api_imports.py) both call
these two services; neither decides for itself whether to queue. Files up to
`schools.uploads.INLINE_MAX_BYTES` are checked and applied while the person waits; larger
ones by the `schools.check_import` / `schools.apply_import` tasks, queued on commit.
"""

from __future__ import annotations

import logging

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from kpas.base.models import User
from schools.models import ImportBatch, School
from schools.upload_tasks import import_apply_queue, import_check_queue
from schools.uploads import runs_inline, upload_apply, upload_check, upload_confirm, upload_receive

logger = logging.getLogger(__name__)


def upload_submit(
    *,
    actor: User,
    school: School | None,
    kind: str,
    upload: UploadedFile,
    confirm: bool = False,
) -> ImportBatch:
    """Store and record the file, then check it now (small) or queue the check (large).
    `confirm`: apply a small file in the same request if it passes the check (the API's
    `confirm=true`); a large file always waits for its own confirmation."""
    batch = upload_receive(actor=actor, school=school, kind=kind, upload=upload)
    if not runs_inline(batch):
        batch_id = batch.pk
        transaction.on_commit(lambda: import_check_queue(batch_id))
        return batch
    batch = upload_check(batch=batch)
    if confirm and batch.status == ImportBatch.Status.PREVIEWED:
        upload_confirm_apply(actor=actor, batch=batch)
        batch.refresh_from_db()
    return batch


def upload_confirm_apply(*, actor: User, batch: ImportBatch) -> bool:
    """Confirm a checked file and apply it (now, or by a worker). True only for the one
    request that confirmed it; raises PermissionError for someone who may not apply it."""
    if not upload_confirm(actor=actor, batch=batch):
        return False
    batch_id = batch.pk
    if not runs_inline(batch):
        transaction.on_commit(lambda: import_apply_queue(batch_id))
        return True
    try:
        upload_apply(batch_id=batch_id)
    except Exception:  # leave it to a worker rather than strand it half-way
        logger.exception("applying import %s in the request failed; queued", batch_id)
        transaction.on_commit(lambda: import_apply_queue(batch_id))
    return True
