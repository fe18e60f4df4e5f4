"""Evidence files attached to a draft, kept privately."""

from __future__ import annotations

from typing import IO

from django.core.files.base import File
from django.db import transaction

from kpas.base.audit import AuditAction, audit_record
from kpas.base.models import User
from referrals import errors
from referrals.models import Evidence, Submission
from referrals.rules import Status
from referrals.services.base import AlreadySent, acting_user
from referrals.uploads import MAX_FILES_PER_SUBMISSION, UploadRejected, check_upload


# --- evidence --------------------------------------------------------------------------------
@transaction.atomic
def evidence_attach(
    *, actor: User | None, submission: Submission, stream: IO[bytes], size: int, name: str
) -> Evidence:
    """Keep an uploaded file with a draft, after checking its real type and size."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status != Status.DRAFT:
        raise AlreadySent(locked)
    if locked.evidence.count() >= MAX_FILES_PER_SUBMISSION:
        raise UploadRejected(errors.EVIDENCE_TOO_MANY.format(limit=MAX_FILES_PER_SUBMISSION))
    checked = check_upload(stream, size)
    evidence = Evidence(
        submission=locked,
        original_name=(name or "file")[-255:],
        content_type=checked.file_type.content_type,
        extension=checked.file_type.extension,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=acting_user(actor),
    )
    evidence.file.save("upload", File(stream), save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    audit_record(
        actor=acting_user(actor),
        action=AuditAction.REFERRAL_EVIDENCE_ADDED,
        obj=locked,
        detail={"evidence": evidence.pk, "type": checked.file_type.content_type},
    )
    return evidence


@transaction.atomic
def evidence_remove(*, actor: User | None, evidence: Evidence) -> None:
    submission = Submission.objects.select_for_update().get(pk=evidence.submission_id)
    if submission.status != Status.DRAFT:
        raise AlreadySent(submission)
    evidence.file.delete(save=False)
    evidence.delete()
