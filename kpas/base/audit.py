"""Writing the audit log. One function, so every change and sensitive read is recorded alike.

Actions are a declared vocabulary (`AuditAction`): an undeclared action is a programming error,
raised at once rather than written as a string nobody can search for.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from kpas.base.models import AuditEvent, User


class AuditAction(models.TextChoices):
    # Imports (schools/imports): each outcome of a file, and the browser's steps around it.
    IMPORT_RECEIVED = "import.received", "File received"
    IMPORT_CHECKED_PREVIEWED = "import.checked.previewed", "File checked"
    IMPORT_CHECKED_REJECTED = "import.checked.rejected", "File checked and rejected"
    IMPORT_CHECKED_UNCHANGED = "import.checked.unchanged", "File checked: identical to one held"
    IMPORT_CONFIRMED = "import.confirmed", "Import confirmed"
    IMPORT_APPLIED = "import.applied", "Import applied"
    IMPORT_REJECTED = "import.rejected", "Import rejected"
    IMPORT_UNCHANGED = "import.unchanged", "Import identical to one held"
    # Signing in (kpas/base/sign_in_audit.py): the address it came from; never a password.
    SIGNED_IN = "auth.signed_in", "Signed in"
    SIGN_IN_FAILED = "auth.sign_in_failed", "Sign-in failed"
    # Files stuck on the way (schools/import_recovery.py): queued again, failed, cancelled.
    IMPORT_REQUEUED = "import.requeued", "Import queued again"
    IMPORT_FAILED = "import.failed", "Import failed: could not be finished"
    IMPORT_CANCELLED = "import.cancelled", "Import cancelled"
    # Sensitive reads of a pupil's data.
    PUPIL_RECORD_VIEWED = "pupil.record_viewed", "Pupil record viewed"
    PUPIL_ATTENDANCE_VIEWED = "pupil.attendance_viewed", "Pupil attendance viewed"
    PUPIL_MARKS_VIEWED = "pupil.marks_viewed", "Pupil marks viewed"
    SCHOOL_PUPILS_LISTED = "school.pupils_listed", "School's pupils listed"
    CERTIFICATE_PRODUCED = "certificate.produced", "Registration certificate produced"
    SUBJECT_ACCESS_EXPORTED = "pupil.subject_access_exported", "Subject-access export produced"
    # Documents (kpas/base/documents): asked for, and downloaded once rendered.
    DOCUMENT_REQUESTED = "document.requested", "Document requested"
    DOCUMENT_DOWNLOADED = "document.downloaded", "Document downloaded"
    RETENTION_PURGED = "retention.purged", "Held past its retention period: deleted"
    # The Digital Front Door.
    REFERRAL_DRAFT_STARTED = "referral.draft_started", "Form started"
    REFERRAL_DRAFT_DELETED = "referral.draft_deleted", "Form deleted"
    REFERRAL_EVIDENCE_ADDED = "referral.evidence_added", "Evidence added"
    REFERRAL_EVIDENCE_DOWNLOADED = "referral.evidence_downloaded", "Evidence downloaded"
    REFERRAL_SUBMITTED = "referral.submitted", "Form sent"
    REFERRAL_VIEWED = "referral.viewed", "Submission viewed"
    REFERRAL_TRIAGED = "referral.triaged", "Submission triaged"
    REFERRAL_ALLOCATED = "referral.allocated", "Submission allocated"
    REFERRAL_NOTE_ADDED = "referral.note_added", "Note added"
    REFERRAL_CLOSED = "referral.closed", "Submission closed"
    REFERRAL_REOPENED = "referral.reopened", "Submission reopened"
    # Statutory returns (returns/).
    RETURN_PUPIL_ADDED = "return.pupil_added", "Pupil added to a return"
    RETURN_NOT_NEEDED = "return.not_needed", "Pupil marked as not needing a return"
    RETURN_NIL_CONFIRMED = "return.nil_confirmed", "Nil return confirmed"
    RETURN_SENT = "return.sent", "Return sent"
    RETURN_SIGNAL_DISMISSED = "return.signal_dismissed", "Off-rolling signal dismissed"
    # Targeting Support Meetings (kpas/tsm).
    TSM_AGREED = "tsm.agreed", "Meeting date agreed"
    TSM_MOVED = "tsm.moved", "Meeting moved"
    TSM_TERMLY_ASKED = "tsm.termly_asked", "Termly meetings asked for"
    TSM_RECORD_COMPLETED = "tsm.record_completed", "Record of Consultation completed"
    # Penalty notices (penalties/): the Courts Team's decisions, notices and their statuses.
    PENALTY_REQUEST_RECEIVED = "penalty.request_received", "Penalty notice request received"
    PENALTY_PARENT_REFUSED = "penalty.parent_refused", "Penalty notice refused for a parent"
    PENALTY_PARENT_ROUTED = "penalty.parent_routed", "Parent routed to other legal intervention"
    PENALTY_NOTICE_ISSUED = "penalty.notice_issued", "Penalty notice issued"
    PENALTY_PAYMENT_RECORDED = "penalty.payment_recorded", "Penalty notice payment recorded"
    PENALTY_NOTICE_WITHDRAWN = "penalty.notice_withdrawn", "Penalty notice withdrawn"
    PENALTY_NOTICE_UNPAID = "penalty.notice_unpaid", "Penalty notice period ended unpaid"
    PENALTY_NOTICE_PROSECUTED = "penalty.notice_prosecuted", "Penalty notice: prosecution"
    PENALTY_PROSECUTION_OUTCOME = (
        "penalty.prosecution_outcome",
        "Penalty notice: outcome of the prosecution",
    )
    REFERRAL_QUESTION_ASKED = "referral.question_asked", "Question asked of the school"
    REFERRAL_QUESTION_ANSWERED = "referral.question_answered", "Question answered by the school"
    # Casework (referrals/cases).
    CASE_OPENED = "case.opened", "Case opened"
    CASE_MOVED = "case.moved", "Case moved on"
    CASE_ALLOCATED = "case.allocated", "Case allocated"
    CASE_NOTE_ADDED = "case.note_added", "Case note added"
    CASE_VIEWED = "case.viewed", "Case viewed"


def audit_record(
    *,
    actor: User | None,
    action: AuditAction | str,
    obj: Any = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    declared = AuditAction(action)  # ValueError for an undeclared action
    object_type = obj._meta.label_lower if obj is not None and hasattr(obj, "_meta") else ""
    object_id = str(obj.pk) if obj is not None and getattr(obj, "pk", None) is not None else ""
    known = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent.objects.create(
        actor=known,
        # Written with the row, so the row names who acted for as long as it is kept, even
        # after the account is deleted (ADR 0011).
        actor_name=known.full_name if known is not None else "",
        actor_email=known.email if known is not None else "",
        action=declared.value,
        object_type=object_type,
        object_id=object_id,
        detail=detail or {},
    )
