"""The Digital Front Door's pure rules: the state machine and references."""

from __future__ import annotations

import pytest

from referrals.rules import (
    IllegalTransition,
    Status,
    allowed_targets,
    reference_format,
    transition_action,
)


@pytest.mark.parametrize(
    ("current", "target", "action"),
    [
        pytest.param(Status.DRAFT, Status.SUBMITTED, "submit", id="draft-is-sent"),
        pytest.param(Status.SUBMITTED, Status.TRIAGED, "triage", id="sent-is-accepted"),
        pytest.param(Status.SUBMITTED, Status.CLOSED, "close", id="sent-is-closed"),
        pytest.param(Status.TRIAGED, Status.CLOSED, "close", id="accepted-is-closed"),
        pytest.param(Status.CLOSED, Status.TRIAGED, "reopen", id="closed-is-reopened"),
    ],
)
def test_legal_transitions(current, target, action):  # type: ignore[no-untyped-def]
    assert transition_action(current, target) == action


@pytest.mark.parametrize(
    ("current", "target"),
    [
        pytest.param(Status.SUBMITTED, Status.DRAFT, id="sent-never-back-to-draft"),
        pytest.param(Status.DRAFT, Status.CLOSED, id="draft-not-closed"),
        pytest.param(Status.CLOSED, Status.SUBMITTED, id="closed-not-resent"),
        pytest.param(Status.TRIAGED, Status.TRIAGED, id="no-move-to-itself"),
    ],
)
def test_illegal_transitions_are_errors(current, target):  # type: ignore[no-untyped-def]
    with pytest.raises(IllegalTransition):
        transition_action(current, target)


def test_allowed_targets():  # type: ignore[no-untyped-def]
    assert allowed_targets(Status.SUBMITTED) == [Status.TRIAGED, Status.CLOSED]
    assert allowed_targets(Status.CLOSED) == [Status.TRIAGED]


@pytest.mark.parametrize(
    ("year", "number", "reference"),
    [
        (2026, 123, "DFD-2026-000123"),
        (2026, 1, "DFD-2026-000001"),
        (2027, 1234567, "DFD-2027-1234567"),
    ],
)
def test_reference_format(year, number, reference):  # type: ignore[no-untyped-def]
    assert reference_format(year, number) == reference
