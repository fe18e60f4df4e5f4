"""The Digital Front Door's pages: one set of views runs all eleven pathways."""

from referrals.views.forms import check, confirmation, draft_delete, index, start
from referrals.views.steps import step
from referrals.views.work import (
    evidence_download,
    queue,
    submission_action,
    submission_answer,
    submission_detail,
    submissions,
)

__all__ = [
    "check",
    "confirmation",
    "draft_delete",
    "evidence_download",
    "index",
    "queue",
    "start",
    "step",
    "submission_action",
    "submission_answer",
    "submission_detail",
    "submissions",
]
