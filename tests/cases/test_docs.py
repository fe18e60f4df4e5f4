"""docs/casework.md shows every machine's transitions (regenerate it when a machine changes)."""

from __future__ import annotations

from pathlib import Path

from referrals.cases.machines import MACHINES

DOC = Path(__file__).resolve().parents[2] / "docs" / "casework.md"


def test_every_transition_is_documented() -> None:
    text = DOC.read_text()
    for machine in MACHINES.values():
        for transition in machine.transitions:
            assert f"| `{transition.action}` ({transition.label}) |" in text
            for source in transition.sources:
                assert f"    {source} --> {transition.target}: {transition.action}\n" in text
