"""Writes of the Digital Front Door (STYLE habit 4), one module per kind of work: `drafts`
(start, save, delete, purge), `evidence` (attach, remove), `sending` (submit, the API's
create) and `triage` (the officer's work). Each is atomic, checks the current state and
writes timeline and audit rows; emails are outbox rows stored in the same transaction.
"""

from referrals.services.base import (
    AlreadySent,
    IdempotencyConflict,
    PathwayRefused,
    SubmissionRefused,
    pathway_refusal,
)
from referrals.services.drafts import (
    ACCOUNT_DRAFT_DAYS,
    ANONYMOUS_DRAFT_DAYS,
    drafts_purge,
    submission_draft_delete,
    submission_draft_save,
    submission_start,
    submission_step_done,
)
from referrals.services.evidence import evidence_attach, evidence_remove
from referrals.services.sending import submission_create, submission_submit
from referrals.services.triage import (
    ANSWER_REQUIRED,
    QUESTION_REQUIRED,
    CloseRefused,
    submission_allocate,
    submission_close,
    submission_note_add,
    submission_question_answer,
    submission_question_ask,
    submission_reopen,
    submission_triage,
)

__all__ = [
    "ACCOUNT_DRAFT_DAYS",
    "ANONYMOUS_DRAFT_DAYS",
    "ANSWER_REQUIRED",
    "QUESTION_REQUIRED",
    "AlreadySent",
    "CloseRefused",
    "IdempotencyConflict",
    "PathwayRefused",
    "SubmissionRefused",
    "drafts_purge",
    "evidence_attach",
    "evidence_remove",
    "pathway_refusal",
    "submission_allocate",
    "submission_close",
    "submission_create",
    "submission_draft_delete",
    "submission_draft_save",
    "submission_note_add",
    "submission_question_answer",
    "submission_question_ask",
    "submission_reopen",
    "submission_start",
    "submission_step_done",
    "submission_submit",
    "submission_triage",
]
