"""What every write of the Digital Front Door shares: the errors callers handle and who
may use a pathway."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kpas.base.models import User
from referrals import errors
from referrals.engine import (
    RequirementResult,
    StepResult,
)
from referrals.engine.definitions import Audience, Pathway
from referrals.models import Submission
from schools.selectors import school_list_for


# --- errors callers handle -------------------------------------------------------------------
class PathwayRefused(PermissionError):
    """This user may not use this pathway (the message says why)."""


class AlreadySent(ValueError):
    def __init__(self, submission: Submission) -> None:
        super().__init__(errors.ALREADY_SUBMITTED)
        self.submission = submission


@dataclass
class SubmissionRefused(ValueError):
    """The answers do not pass, a condition blocks it, or reasons are missing."""

    invalid: StepResult = field(default_factory=StepResult)
    blocked: list[RequirementResult] = field(default_factory=list)
    reasons_missing: dict[str, str] = field(default_factory=dict)
    results: list[RequirementResult] = field(default_factory=list)

    def __str__(self) -> str:
        if self.blocked:
            return errors.CANNOT_SUBMIT_BLOCKED.format(
                reasons="; ".join(r.requirement.failure for r in self.blocked)
            )
        if self.reasons_missing:
            return "; ".join(self.reasons_missing.values())
        return errors.CANNOT_SUBMIT_INVALID


class IdempotencyConflict(ValueError):
    """An idempotency key already used by someone else."""


# --- who may use a pathway ---------------------------------------------------------------------
def pathway_refusal(user: User | None, pathway: Pathway) -> str | None:
    """Why this user cannot use the pathway, or None when they can."""
    if user is None or not user.is_authenticated:
        return None if Audience.ANONYMOUS in pathway.audiences else errors.PATHWAY_NEEDS_ACCOUNT
    if user.is_school_staff:
        allowed = Audience.SCHOOL_STAFF in pathway.audiences
    else:
        allowed = Audience.AUTHORITY_STAFF in pathway.audiences
    if not allowed or (pathway.roles and user.role not in pathway.roles):
        return errors.PATHWAY_NOT_FOR_YOU
    return None


def acting_user(user: User | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


def implied_school(actor: User | None) -> Any:
    """A member of one school's staff need not say which school."""
    if actor is None or not actor.is_school_staff:
        return None
    schools = list(school_list_for(actor)[:2])
    return schools[0] if len(schools) == 1 else None
