"""Where an input's error links to: the element the error summary focuses (GOV.UK error
summary; WCAG 2.4.3). Shared by the reader, the answers and the page binding."""

from __future__ import annotations

from referrals.engine.definitions import Field, Kind, Step


def input_id(name: str) -> str:
    return f"id_{name}"


def anchor_for(step: Step, name: str) -> str:
    item = next((f for f in step.fields if f.name == name), None)
    if item is not None and item.kind == Kind.DATE:
        return input_id(name) + "-day"
    if item is not None and item.kind == Kind.GROUP and item.fields:
        return group_anchor(item)
    return input_id(name)


def group_anchor(item: Field) -> str:
    """Where an error on a whole list links to: its first item's first input, a focusable
    element (WCAG 2.4.3), not the list's container."""
    first = item.fields[0] if item.fields else None
    if first is None:
        return input_id(item.name)
    return input_id(f"{item.name}-0-{first.name}") + ("-day" if first.kind == Kind.DATE else "")
