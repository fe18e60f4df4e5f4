"""Which steps and questions apply, and moving between steps."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from referrals.engine.context import Context
from referrals.engine.definitions import (
    Field,
    Kind,
    Pathway,
    Step,
    StepKind,
)

if TYPE_CHECKING:
    pass


def _reveal_parents(fields: Iterable[Field]) -> dict[str, tuple[Field, str]]:
    """Fields revealed by an option of another field in the same list."""
    fields = list(fields)
    parents: dict[str, tuple[Field, str]] = {}
    for parent in fields:
        for choice in parent.choices:
            for name in choice.reveals:
                parents[name] = (parent, choice.value)
    return parents


def _parent_selects(parent: Field, value: str, answers: Mapping[str, Any]) -> bool:
    answer = answers.get(parent.name)
    if parent.kind == Kind.YES_NO:
        return answer is (value == "yes")
    if parent.kind == Kind.CHECKBOXES:
        return isinstance(answer, list) and value in answer
    return bool(answer == value)


def field_shown(item: Field, siblings: Iterable[Field], ctx: Context) -> bool:
    """Its own shown_when, and for a revealed field, its option being chosen."""
    if not item.is_shown(ctx):
        return False
    parent = _reveal_parents(siblings).get(item.name)
    if parent is None:
        return True
    return field_shown(parent[0], siblings, ctx) and _parent_selects(*parent, ctx.answers)


def visible_fields(step: Step, ctx: Context) -> list[Field]:
    return [item for item in step.fields if field_shown(item, step.fields, ctx)]


def step_shown(step: Step, ctx: Context) -> bool:
    if not step.is_shown(ctx):
        return False
    if step.kind == StepKind.EVIDENCE or step.panel:
        return True
    return any(item.is_shown(ctx) for item in step.fields)


def visible_steps(pathway: Pathway, ctx: Context) -> list[Step]:
    return [step for step in pathway.steps if step_shown(step, ctx)]


def step_after(pathway: Pathway, ctx: Context, slug: str) -> Step | None:
    steps = visible_steps(pathway, ctx)
    slugs = [step.slug for step in steps]
    if slug not in slugs:
        return steps[0] if steps else None
    index = slugs.index(slug)
    return steps[index + 1] if index + 1 < len(steps) else None


def step_before(pathway: Pathway, ctx: Context, slug: str) -> Step | None:
    steps = visible_steps(pathway, ctx)
    slugs = [step.slug for step in steps]
    if slug not in slugs:
        return None
    index = slugs.index(slug)
    return steps[index - 1] if index > 0 else None


def intro_for(step: Step, ctx: Context) -> list[str]:
    paragraphs = []
    for entry in step.intro:
        if isinstance(entry, tuple):
            condition, text = entry
            if condition(ctx):
                paragraphs.append(text)
        else:
            paragraphs.append(entry)
    return paragraphs
