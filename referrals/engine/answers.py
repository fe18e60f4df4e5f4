"""Pre-filling from the register, the answers kept, check your answers, and a pathway's
machine-readable outline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from referrals.engine.anchors import anchor_for
from referrals.engine.context import REASONS_KEY, Context
from referrals.engine.definitions import (
    Field,
    Kind,
    Pathway,
    Step,
    StepKind,
)
from referrals.engine.fields import (
    display,
)
from referrals.engine.steps import field_shown, visible_fields, visible_steps

if TYPE_CHECKING:
    pass


def resolve_prefill(spec: str | Callable[[Context], Any], ctx: Context) -> Any:
    if callable(spec):
        return spec(ctx)
    if not spec:
        return None
    source, _, attribute = spec.partition(".")
    target = {"pupil": ctx.pupil, "school": ctx.school, "user": ctx.user, "facts": ctx.facts}.get(
        source
    )
    if target is None:
        return None
    value = getattr(target, attribute, None)
    if isinstance(value, date):
        return value.isoformat()
    return value


def prefill_values(pathway: Pathway, ctx: Context, *, overwrite: bool) -> dict[str, Any]:
    """Answers from the register for questions with a pre-fill; only unanswered ones unless
    `overwrite` (a different pupil was chosen)."""
    values: dict[str, Any] = {}
    for item in pathway.all_fields():
        if not item.prefill:
            continue
        if not overwrite and ctx.answers.get(item.name) not in (None, "", []):
            continue
        value = resolve_prefill(item.prefill, ctx)
        if value not in (None, "", []):
            values[item.name] = value
    return values


# --- cleaning and check your answers ----------------------------------------------------------
def clean_answers(pathway: Pathway, ctx: Context) -> dict[str, Any]:
    """Only the answers to questions that apply now (a changed answer can hide others)."""
    clean: dict[str, Any] = {}
    for step in visible_steps(pathway, ctx):
        for item in visible_fields(step, ctx):
            if item.name in ctx.answers:
                clean[item.name] = ctx.answers[item.name]
    for key in ("_pupil_id",):
        if key in ctx.answers:
            clean[key] = ctx.answers[key]
    reasons = ctx.answers.get(REASONS_KEY)
    if reasons:
        clean[REASONS_KEY] = reasons
    return clean


@dataclass(frozen=True)
class SummaryRow:
    key: str
    lines: tuple[str, ...]
    anchor: str  # the question's first input, for the Change link's fragment
    items: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = ()  # groups


@dataclass(frozen=True)
class SummarySection:
    step: Step
    rows: tuple[SummaryRow, ...]


def summary(pathway: Pathway, ctx: Context) -> list[SummarySection]:
    sections = []
    for step in visible_steps(pathway, ctx):
        if step.kind == StepKind.EVIDENCE:
            continue
        rows = []
        for item in visible_fields(step, ctx):
            value = ctx.answers.get(item.name)
            if item.kind == Kind.GROUP:
                rows.append(
                    SummaryRow(
                        item.short_label,
                        (),
                        anchor_for(step, item.name),
                        items=_group_summary(item, value or [], ctx),
                    )
                )
                continue
            lines = display(item, value, ctx)
            if item.kind == Kind.PUPIL and ctx.pupil is not None and value:
                lines = [*lines, ctx.pupil.display_name]
            rows.append(
                SummaryRow(
                    item.short_label, tuple(lines) or ("Not given",), anchor_for(step, item.name)
                )
            )
        if rows:
            sections.append(SummarySection(step, tuple(rows)))
    return sections


def _group_summary(
    item: Field, rows: list[dict[str, Any]], ctx: Context
) -> tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...]:
    out = []
    for index, row in enumerate(rows, start=1):
        item_ctx = ctx.with_answers({**ctx.answers, **row})
        title = f"{item.item_label or 'Item'} {index}"
        if row.get("_name"):
            title += f": {row['_name']}"
        parts = tuple(
            (sub.short_label, tuple(display(sub, row.get(sub.name), item_ctx)) or ("Not given",))
            for sub in item.fields
            if field_shown(sub, item.fields, item_ctx)
        )
        out.append((title, parts))
    return tuple(out)


def describe_pathway(pathway: Pathway) -> dict[str, Any]:
    """A machine-readable outline of a pathway's questions (for API clients)."""

    def outline(item: Field) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": item.name,
            "label": item.label,
            "type": item.kind.value,
            "required": item.required if item.required_when is None else "conditional",
        }
        if item.required_when is not None:
            data["required_when"] = item.required_when.describe()
        if item.shown_when is not None:
            data["asked_when"] = item.shown_when.describe()
        if item.choices:
            data["choices"] = [choice.value for choice in item.choices]
        if item.kind == Kind.YES_NO:
            data["choices"] = [True, False]
        if item.fields:
            data["item_fields"] = [outline(sub) for sub in item.fields]
        return data

    return {
        "slug": pathway.slug,
        "number": pathway.number,
        "title": pathway.title,
        "steps": [
            {
                "slug": step.slug,
                "title": step.title,
                "asked_when": step.shown_when.describe() if step.shown_when else None,
                "fields": [outline(item) for item in step.fields],
            }
            for step in pathway.steps
        ],
        "requirements": [
            {"id": r.id, "condition": r.text, "on_fail": r.on_fail.value, "source": r.source}
            for r in pathway.requirements
        ],
    }
