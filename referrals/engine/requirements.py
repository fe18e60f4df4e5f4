"""The conditions a request must meet: met, not met or not known yet; what blocks sending and
what needs the school's reason."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from referrals import errors
from referrals.engine.context import REASONS_KEY, Context
from referrals.engine.definitions import (
    OnFail,
    Outcome,
    Pathway,
    Requirement,
)


@dataclass(frozen=True)
class RequirementResult:
    requirement: Requirement
    outcome: Outcome
    detail: str = ""
    reason: str = ""

    @property
    def blocks(self) -> bool:
        return self.outcome == Outcome.NOT_MET and self.requirement.on_fail == OnFail.BLOCK

    @property
    def needs_reason(self) -> bool:
        return self.outcome == Outcome.NOT_MET and self.requirement.on_fail == OnFail.REASON

    @property
    def warns(self) -> bool:
        return self.outcome == Outcome.NOT_MET and self.requirement.on_fail == OnFail.WARN

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.requirement.id,
            "condition": self.requirement.text,
            "outcome": self.outcome.value,
            "on_fail": self.requirement.on_fail.value,
            "failure": self.requirement.failure if self.outcome == Outcome.NOT_MET else "",
            "detail": self.detail,
            "source": self.requirement.source,
            "reason": self.reason,
        }


def evaluate_requirements(pathway: Pathway, ctx: Context) -> list[RequirementResult]:
    reasons = ctx.answers.get(REASONS_KEY) or {}
    results = []
    for requirement in pathway.requirements:
        read_before = ctx.records_read
        applies = requirement.applies(ctx)
        if ctx.records_read > read_before:  # whether it applies depends on our records
            results.append(_checked_after_sending(requirement, reasons))
            continue
        if not applies:
            continue
        verdict = requirement.test(ctx)
        detail = requirement.detail(ctx) if requirement.detail is not None else ""
        if ctx.records_read > read_before:
            # A sender without an account sees neutral wording, whatever the records hold.
            results.append(_checked_after_sending(requirement, reasons))
            continue
        outcome = (
            Outcome.UNKNOWN if verdict is None else (Outcome.MET if verdict else Outcome.NOT_MET)
        )
        results.append(
            RequirementResult(requirement, outcome, detail, str(reasons.get(requirement.id, "")))
        )
    return results


def _checked_after_sending(requirement: Requirement, reasons: Any) -> RequirementResult:
    return RequirementResult(
        requirement,
        Outcome.UNKNOWN,
        errors.CHECKED_AFTER_SENDING,
        str(reasons.get(requirement.id, "")),
    )


def reason_errors(results: Iterable[RequirementResult]) -> dict[str, str]:
    """A reason is needed for each REASON requirement that is not met."""
    return {
        result.requirement.id: errors.REASON_REQUIRED.format(
            condition=result.requirement.failure.rstrip(".")
        )
        for result in results
        if result.needs_reason and not result.reason.strip()
    }


# --- pre-filling from the register ----------------------------------------------------------------
