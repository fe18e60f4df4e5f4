"""What a question page's template needs: each question with its id, value as typed,
error and options, in GOV.UK Frontend's terms (conditional reveals nested under their
option, a group's items as fieldsets)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from referrals.engine import input_id
from referrals.engine.anchors import group_anchor
from referrals.engine.context import Context
from referrals.engine.definitions import Field, Kind, Step
from referrals.engine.fields import choices_of, raw_from_value, school_is_choice


@dataclass
class BoundChoice:
    value: str
    label: str
    hint: str
    id: str
    checked: bool
    exclusive: bool = False
    divider: str = ""
    revealed: list[BoundField] = field(default_factory=list)


@dataclass
class BoundItem:
    index: int
    legend: str
    fields: list[BoundField]
    hidden: list[tuple[str, Any]] = field(default_factory=list)  # carried with the item


@dataclass
class BoundField:
    field: Field
    name: str  # the input's name
    id: str  # the first input's id (what the error summary links to)
    kind: str
    label: str
    hint: str
    value: Any  # as typed: str, list, {"day", "month", "year"}, or a group's rows
    error: str = ""
    error_parts: tuple[str, ...] = ()  # date inputs to outline in red
    choices: list[BoundChoice] = field(default_factory=list)
    items: list[BoundItem] = field(default_factory=list)
    is_heading: bool = False  # the page's only question: its label is the h1
    size: str = "s"  # label or legend size: "l" as the heading, "m" alone on a page
    width: str = ""
    autocomplete: str = ""
    optional: bool = False
    list_error_id: str = ""  # an item's question: the error on its whole list, if any

    @property
    def template(self) -> str:
        return f"referrals/fields/{self.kind}.html"

    @property
    def base_id(self) -> str:
        return input_id(self.name)

    @property
    def describedby(self) -> str:
        ids = []
        if self.hint:
            ids.append(f"{self.base_id}-hint")
        if self.error:
            ids.append(f"{self.base_id}-error")
        if self.list_error_id:
            ids.append(self.list_error_id)
        return " ".join(ids)


def _top_level(fields: tuple[Field, ...]) -> tuple[list[Field], dict[str, Field]]:
    revealed = {name for item in fields for c in item.choices for name in c.reveals}
    by_name = {item.name: item for item in fields}
    return [item for item in fields if item.name not in revealed], by_name


def bind_fields(
    fields: tuple[Field, ...],
    ctx: Context,
    raw: dict[str, Any],
    errors: dict[str, str],
    *,
    prefix: str = "",
    heading: bool = False,
) -> list[BoundField]:
    top, by_name = _top_level(fields)
    shown = [item for item in top if item.is_shown(ctx)]
    alone = len(shown) == 1 and shown[0].kind != Kind.GROUP
    bound = []
    for item in shown:
        field_ = _bind(item, by_name, ctx, raw, errors, prefix, heading=heading and alone)
        if alone and not field_.is_heading and not prefix:
            field_.size = "m"
        bound.append(field_)
    return bound


def _bind(
    item: Field,
    siblings: dict[str, Field],
    ctx: Context,
    raw: dict[str, Any],
    errors: dict[str, str],
    prefix: str,
    *,
    heading: bool = False,
) -> BoundField:
    name = f"{prefix}{item.name}"
    value = raw.get(item.name)
    kind = item.kind.value
    if item.kind == Kind.SCHOOL:
        kind = "radios" if school_is_choice(ctx) else "text"
    elif item.kind in (Kind.PUPIL, Kind.POSTCODE):
        kind = "text"
    error = errors.get(name, "")
    first_id = input_id(name)
    if item.kind == Kind.DATE:
        first_id += "-day"
    bound = BoundField(
        field=item,
        name=name,
        id=first_id,
        kind=kind,
        label=item.label,
        hint=item.hint,
        value=value,
        error=error,
        is_heading=heading,
        size="l" if heading else "s",
        width=item.width,
        autocomplete=item.autocomplete,
        optional=not item.required
        and item.required_when is None
        and item.kind not in (Kind.CHECKBOXES,),
    )
    if item.kind == Kind.DATE:
        bound.id = input_id(name) + "-day"
        bound.value = value or {"day": "", "month": "", "year": ""}
        bound.error_parts = _date_error_parts(error, bound.value)
    if kind in ("radios", "checkboxes", "select", "yes_no"):
        selected = value if isinstance(value, list) else [value]
        for index, choice in enumerate(choices_of(item, ctx)):
            choice_id = input_id(name) if index == 0 else f"{input_id(name)}-{index + 1}"
            revealed = [
                _bind(siblings[n], siblings, ctx, raw, errors, prefix)
                for n in choice.reveals
                if n in siblings and siblings[n].is_shown(ctx)
            ]
            bound.choices.append(
                BoundChoice(
                    choice.value,
                    choice.label,
                    choice.hint,
                    choice_id,
                    checked=choice.value in selected,
                    exclusive=choice.exclusive,
                    divider=choice.divider,
                    revealed=revealed,
                )
            )
    if item.kind == Kind.GROUP:
        rows = value if isinstance(value, list) else []
        for index, row in enumerate(rows):
            item_ctx = ctx.with_answers({**ctx.answers, **_canonical(item, row)})
            bound.items.append(
                BoundItem(
                    index,
                    f"{item.item_label or 'Item'} {index + 1}"
                    + (f": {row['_name']}" if isinstance(row, dict) and row.get("_name") else ""),
                    bind_fields(item.fields, item_ctx, row, errors, prefix=f"{name}-{index}-"),
                    [
                        (k, row[k])
                        for k in ("_name", *item.carry)
                        if isinstance(row, dict) and row.get(k)
                    ],
                )
            )
        bound.id = group_anchor(item)
        if error:  # each item's questions point at the list's error too (WCAG 1.3.1)
            for bound_item in bound.items:
                for sub in bound_item.fields:
                    sub.list_error_id = f"{bound.base_id}-error"
    return bound


def _date_error_parts(error: str, value: dict[str, str]) -> tuple[str, ...]:
    every = ("day", "month", "year")
    if not error:
        return ()
    if "year with 4" in error:
        return ("year",)
    if "must include" in error:
        return tuple(part for part in every if not value.get(part)) or every
    return every


def _canonical(item: Field, row: dict[str, Any]) -> dict[str, Any]:
    """Enough of a raw row to evaluate its questions' conditions."""
    out: dict[str, Any] = {}
    for sub in item.fields:
        value = row.get(sub.name)
        if sub.kind == Kind.YES_NO:
            value = {"yes": True, "no": False}.get(value, value)  # type: ignore[arg-type]
        out[sub.name] = value
    return out


def raw_from_answers(step: Step, answers: dict[str, Any]) -> dict[str, Any]:
    """Stored answers as the page's inputs show them."""
    raw: dict[str, Any] = {}
    for item in step.fields:
        value = answers.get(item.name)
        if item.kind == Kind.GROUP:
            rows = []
            for row in value or []:
                if not isinstance(row, dict):
                    continue
                shown = {sub.name: raw_from_value(sub, row.get(sub.name)) for sub in item.fields}
                for key in ("_name", *item.carry):
                    if row.get(key):
                        shown[key] = row[key]
                rows.append(shown)
            raw[item.name] = rows
        else:
            raw[item.name] = raw_from_value(item, value)
    return raw


def blank_row(item: Field) -> dict[str, Any]:
    return {sub.name: raw_from_value(sub, None) for sub in item.fields}
