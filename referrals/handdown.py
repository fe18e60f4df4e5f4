"""The Digital Front Door hands a sent penalty notice request down to the Courts Team's
workspace (penalties/): penalties never reads referrals, so it gets its own copy."""

from __future__ import annotations

from datetime import date
from typing import Any

from penalties.services import penalty_request_receive
from referrals.models import Submission

PENALTY_NOTICE = "penalty-notice"


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def hand_down(submission: Submission) -> None:
    """Called in the sending transaction; a no-op for other pathways."""
    if submission.pathway != PENALTY_NOTICE or submission.pupil_id is None:
        return
    answers = submission.answers
    scenario = answers.get("scenario")
    if scenario not in ("leave", "unauthorised", "public_place") or submission.school_id is None:
        return
    penalty_request_receive(
        submission_reference=str(submission.reference),
        submission_id=submission.pk,
        pupil_id=submission.pupil_id,
        school_id=submission.school_id,
        scenario=scenario,
        parents=[p for p in answers.get("parents") or [] if isinstance(p, dict)],
        leave_from=_day(answers.get("leave_from")),
        leave_to=_day(answers.get("leave_to")),
        seen_on=_day(answers.get("seen_date")),
        conditions=list(submission.conditions or []),
        received_at=submission.submitted_at,
    )
