"""The Digital Front Door's pure rules: submission states and reference numbers. The date
rules its pathways check live with the domain that owns them: `penalties.rules` (notices)
and `returns.rules` (deletion grounds, continuous absence, CME referral dates).
"""

from __future__ import annotations

import re
from typing import Final

from django.db import models


# --- the state machine (STYLE habit 6) ---------------------------------------------------------
class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Received"
    TRIAGED = "triaged", "In progress"
    CLOSED = "closed", "Closed"


# (from, to) -> the action that makes the move. Anything else is an illegal transition.
TRANSITIONS: Final[dict[tuple[str, str], str]] = {
    (Status.DRAFT, Status.SUBMITTED): "submit",
    (Status.SUBMITTED, Status.TRIAGED): "triage",
    (Status.SUBMITTED, Status.CLOSED): "close",
    (Status.TRIAGED, Status.CLOSED): "close",
    (Status.CLOSED, Status.TRIAGED): "reopen",
}


class ClosingOutcome(models.TextChoices):
    """How the authority closed a submission, where a rule depends on it: a CME notification
    whose enquiries are complete with deletion advised (reg 9(1)(h), (i), 9(3)(c))."""

    DELETION_ADVISED = "deletion_advised", "Enquiries complete, deletion advised"


OPEN_STATUSES: Final = frozenset({Status.SUBMITTED, Status.TRIAGED})
SENT_STATUSES: Final = frozenset({Status.SUBMITTED, Status.TRIAGED, Status.CLOSED})


class IllegalTransition(ValueError):
    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"A submission cannot move from {current} to {target}.")
        self.current, self.target = current, target


def transition_action(current: str, target: str) -> str:
    """The action for a legal move; IllegalTransition otherwise (never silently ignored)."""
    try:
        return TRANSITIONS[(current, target)]
    except KeyError:
        raise IllegalTransition(current, target) from None


def allowed_targets(current: str) -> list[str]:
    return [target for (source, target) in TRANSITIONS if source == current]


# --- reference numbers ------------------------------------------------------------------------
REFERENCE_PREFIX: Final = "DFD"
REFERENCE_DIGITS: Final = 6
REFERENCE_PATTERN: Final = re.compile(r"^DFD-(\d{4})-(\d{6,})$")


def reference_format(year: int, number: int) -> str:
    """DFD-2026-000123: the calendar year of submission and that year's sequence number."""
    if number < 1:
        raise ValueError("reference numbers start at 1")
    return f"{REFERENCE_PREFIX}-{year:04d}-{number:0{REFERENCE_DIGITS}d}"


def reference_normalise(text: str) -> str:
    return text.strip().upper()
