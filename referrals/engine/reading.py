"""Reading and checking answers: a page from the browser, or a whole set as JSON (the API,
and a draft before it is sent), with the same rules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from referrals import errors
from referrals.engine.anchors import anchor_for, group_anchor, input_id
from referrals.engine.context import REASONS_KEY, Context, PupilLookup
from referrals.engine.definitions import (
    Field,
    Kind,
    OnFail,
    Pathway,
    Step,
    StepKind,
)
from referrals.engine.fields import (
    Parsed,
    check,
    parse_json,
    parse_web,
    required_message,
)
from referrals.engine.steps import field_shown, step_shown, visible_steps

if TYPE_CHECKING:
    from django.http import QueryDict

    from schools.models import Pupil, School


@dataclass
class StepResult:
    values: dict[str, Any] = field(default_factory=dict)  # canonical answers to keep
    raw: dict[str, Any] = field(default_factory=dict)  # as typed, to show back on an error
    errors: dict[str, str] = field(default_factory=dict)  # error key -> message
    anchors: dict[str, str] = field(default_factory=dict)  # error key -> id of the input
    prefixes: dict[str, str] = field(default_factory=dict)  # error key -> "Pupil 2: "
    pupil: Pupil | None = None
    school: School | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, key: str, message: str, anchor: str) -> None:
        if key not in self.errors:
            self.errors[key] = message
            self.anchors[key] = anchor

    def error_list(self) -> list[tuple[str, str]]:
        """(message, #anchor) in the order the questions appear; an error in a list's item
        says which item ("Pupil 2: ...")."""
        return [
            (self.prefixes.get(key, "") + message, f"#{self.anchors[key]}")
            for key, message in self.errors.items()
        ]


def read_step(pathway: Pathway, step: Step, data: QueryDict, ctx: Context) -> StepResult:
    """Read one page as posted from the browser and check it."""
    result = StepResult()
    parsed: dict[str, Parsed] = {}
    for item in step.fields:
        if item.kind == Kind.GROUP:
            rows = group_rows_from_post(item, data)
            result.raw[item.name] = rows
            continue
        raw, parsed[item.name] = parse_web(item, data, item.name, ctx)
        result.raw[item.name] = raw
    _check_fields(pathway, step, parsed, ctx, result, group_source=("web", data))
    return result


def read_step_json(
    pathway: Pathway, step: Step, source: Mapping[str, Any], ctx: Context
) -> StepResult:
    """The same checks on canonical values (API requests, stored drafts)."""
    result = StepResult()
    parsed = {
        item.name: parse_json(item, source.get(item.name), ctx)
        for item in step.fields
        if item.kind != Kind.GROUP
    }
    _check_fields(pathway, step, parsed, ctx, result, group_source=("json", source))
    return result


def _check_fields(
    pathway: Pathway,
    step: Step,
    parsed: dict[str, Parsed],
    ctx: Context,
    result: StepResult,
    *,
    group_source: tuple[str, Any],
) -> None:
    # Conditions may depend on other answers on this page (revealed questions).
    candidate = {**ctx.answers, **{name: p.value for name, p in parsed.items()}}
    for item in step.fields:
        if item.kind == Kind.GROUP:
            candidate[item.name] = ctx.answers.get(item.name)
    page_ctx = ctx.with_answers(candidate)
    for item in step.fields:
        if not field_shown(item, step.fields, page_ctx):
            continue
        if item.kind == Kind.GROUP:
            kind, source = group_source
            rows = _read_group(item, kind, source, page_ctx, result)
            result.values[item.name] = rows
            candidate[item.name] = rows
            continue
        outcome = parsed[item.name]
        anchor = input_id(item.name) + (
            outcome.anchor or ("-day" if item.kind == Kind.DATE else "")
        )
        if outcome.error:
            result.add_error(item.name, outcome.error, anchor)
            continue
        message = check(item, outcome.value, page_ctx, required=item.is_required(page_ctx))
        if message:
            result.add_error(item.name, message, anchor)
            continue
        if item.kind == Kind.PUPIL and outcome.value and page_ctx.school_staff:
            found = _lookup(page_ctx, outcome.value, None, include_left=item.include_left)
            if found.error:
                result.add_error(item.name, found.error, anchor)
                continue
            result.pupil, result.school = found.pupil, found.school
        if item.kind == Kind.SCHOOL and outcome.value:
            school = _school_for(page_ctx, outcome.value)
            if school is None:
                result.add_error(item.name, _urn_not_found(outcome.value), anchor)
                continue
            result.school = school
        result.values[item.name] = outcome.value
    if result.errors:
        return
    after = ctx.with_answers(
        {**ctx.answers, **result.values},
        pupil=result.pupil or ctx.pupil,
        school=result.school or ctx.school,
    )
    for cross_check in step.checks:
        read_before = after.records_read
        problems = cross_check(result.values, after)
        if after.records_read > read_before:
            continue  # on the authority's records: checked by the authority once sent
        for name, message in problems.items():
            result.add_error(name, message, anchor_for(step, name))
    if result.errors:
        return
    # A requirement tied to a question on this page blocks at once, with its reason.
    # One that looks at the authority's records does not, for a sender without an account.
    for requirement in pathway.requirements:
        read_before = after.records_read
        if (
            requirement.on_fail == OnFail.BLOCK
            and requirement.field in result.values
            and requirement.applies(after)
            and requirement.test(after) is False
            and after.records_read == read_before
        ):
            result.add_error(
                requirement.field, requirement.failure, anchor_for(step, requirement.field)
            )


def _lookup(
    ctx: Context, upn: str, school_urn: str | None, *, include_left: bool = False
) -> PupilLookup:
    if ctx.lookups is None or ctx.user is None:
        return PupilLookup()
    return ctx.lookups.lookup_pupil(ctx.user, upn, school_urn, include_left=include_left)


def _school_for(ctx: Context, urn: str) -> School | None:
    if ctx.school is not None and ctx.school.urn == urn:
        return ctx.school
    return ctx.lookups.find_school(urn) if ctx.lookups is not None else None


def _urn_not_found(urn: str) -> str:
    from django.conf import settings

    return errors.URN_NOT_FOUND.format(urn=urn, authority=settings.AUTHORITY_NAME)


# --- groups: a list of items with the same questions ("add another") -----------------------------
def group_rows_from_post(item: Field, data: QueryDict) -> list[dict[str, Any]]:
    """The rows as posted (raw), blank rows included, for showing back."""
    try:
        count = min(int(data.get(f"{item.name}-count", "0")), item.max_items)
    except ValueError:
        count = 0
    rows = []
    for index in range(max(count, 0)):
        row: dict[str, Any] = {}
        for sub in item.fields:
            raw, _ = parse_web(sub, data, f"{item.name}-{index}-{sub.name}", _NO_CONTEXT)
            row[sub.name] = raw
        for key in ("_name", *item.carry):  # kept with the item, shown or not
            if data.get(f"{item.name}-{index}-{key}"):
                row[key] = data.get(f"{item.name}-{index}-{key}")
        rows.append(row)
    return rows


def _row_blank(row: Mapping[str, Any]) -> bool:
    for key, value in row.items():
        if key.startswith("_"):
            continue
        if isinstance(value, dict) and any(value.values()):
            return False
        if isinstance(value, list) and value:
            return False
        if isinstance(value, str) and value.strip():
            return False
    return True


def _read_group(
    item: Field, kind: str, source: Any, ctx: Context, result: StepResult
) -> list[dict[str, Any]]:
    if kind == "web":
        posted = group_rows_from_post(item, source)
        count = len(posted)
        carried = [{k: row[k] for k in item.carry if k in row} for row in posted]
        raws = [
            {
                sub.name: parse_web(sub, source, f"{item.name}-{i}-{sub.name}", ctx)
                for sub in item.fields
            }
            for i in range(count)
        ]
    else:
        given = source.get(item.name) or []
        if not isinstance(given, list):
            result.add_error(item.name, required_message(item), group_anchor(item))
            return []
        raws = [
            {
                sub.name: (row.get(sub.name), parse_json(sub, row.get(sub.name), ctx))
                for sub in item.fields
            }
            if isinstance(row, dict)
            else {}
            for row in given[: item.max_items + 1]
        ]
        carried = [
            {k: row[k] for k in item.carry if k in row} if isinstance(row, dict) else {}
            for row in given[: item.max_items + 1]
        ]
    rows: list[dict[str, Any]] = []
    seen_upns: set[str] = set()
    for index, parsed in enumerate(raws):
        if not parsed or _row_blank({name: raw for name, (raw, _) in parsed.items()}):
            continue
        values = {name: p.value for name, (_, p) in parsed.items()}
        item_ctx = ctx.with_answers({**ctx.answers, **values})
        row: dict[str, Any] = {
            k: int(v) for k, v in carried[index].items() if str(v).isdigit()
        }  # internal references such as the alert a row came from
        prefix = f"{item.item_label or 'Item'} {index + 1}: "
        for sub in item.fields:
            if not field_shown(sub, item.fields, item_ctx):
                continue
            key = f"{item.name}-{index}-{sub.name}"
            _raw, outcome = parsed[sub.name]
            anchor = input_id(key) + (outcome.anchor or ("-day" if sub.kind == Kind.DATE else ""))
            if outcome.error:
                result.add_error(key, outcome.error, anchor)
                result.prefixes[key] = prefix
                continue
            message = check(sub, outcome.value, item_ctx, required=sub.is_required(item_ctx))
            if message:
                result.add_error(key, message, anchor)
                result.prefixes[key] = prefix
                continue
            if sub.kind == Kind.PUPIL and outcome.value:
                if outcome.value in seen_upns:
                    result.add_error(key, errors.UPN_DUPLICATE.format(upn=outcome.value), anchor)
                    result.prefixes[key] = prefix
                    continue
                seen_upns.add(outcome.value)
                if item_ctx.school_staff:
                    found = _lookup(
                        item_ctx, outcome.value, str(ctx.answers.get("school_urn") or "") or None
                    )
                    if found.error:
                        result.add_error(key, found.error, anchor)
                        result.prefixes[key] = prefix
                        continue
                    if found.pupil is not None:
                        row["_pupil_id"] = found.pupil.pk
                        row["_name"] = found.pupil.display_name
            row[sub.name] = outcome.value
        row_errors = any(key.startswith(f"{item.name}-{index}-") for key in result.errors)
        if not row_errors:
            row_ctx = ctx.with_answers({**ctx.answers, **row})
            for item_check in item.item_checks:
                for name, message in item_check(row, row_ctx).items():
                    key = f"{item.name}-{index}-{name}"
                    result.add_error(key, message, input_id(key) + "-day")
                    result.prefixes[key] = prefix
        rows.append(row)
    if len(rows) < item.min_items and item.is_required(ctx):
        result.add_error(item.name, required_message(item), group_anchor(item))
    if len(rows) > item.max_items:
        result.add_error(
            item.name,
            errors.GROUP_MAX_ITEMS.format(
                limit=item.max_items, items=(item.item_label or "item").lower() + "s"
            ),
            group_anchor(item),
        )
    return rows


class _NoContext:
    """Reading raw group rows needs no context (no choices or lookups are consulted)."""

    answers: dict[str, Any] = {}
    user = None
    user_school_urns: tuple[str, ...] = ()
    user_schools: tuple[tuple[str, str], ...] = ()


_NO_CONTEXT: Any = _NoContext()


def validate_answers(
    pathway: Pathway, answers: Mapping[str, Any], ctx: Context
) -> tuple[dict[str, Any], StepResult]:
    """Check a whole set of answers, step by step in order (the API, and before sending).

    Returns the cleaned answers (only questions that apply) and every error found.
    """
    clean: dict[str, Any] = {}
    found = StepResult()
    current = ctx.with_answers(answers)
    for step in pathway.steps:
        if not step_shown(step, current):
            continue
        if step.kind == StepKind.EVIDENCE:
            if current.evidence_count < step.min_files:
                found.add_error(f"evidence:{step.slug}", errors.EVIDENCE_REQUIRED, "id_evidence")
            continue
        outcome = read_step_json(pathway, step, answers, current)
        for key, message in outcome.errors.items():
            found.add_error(key, message, outcome.anchors[key])
        clean.update(outcome.values)
        if outcome.pupil is not None or outcome.school is not None:
            found.pupil = outcome.pupil or found.pupil
            found.school = outcome.school or found.school
            current = current.with_answers(
                current.answers,
                pupil=outcome.pupil or current.pupil,
                school=outcome.school or current.school,
            )
    reasons = answers.get(REASONS_KEY)
    if isinstance(reasons, dict):
        clean[REASONS_KEY] = {str(k): str(v) for k, v in reasons.items() if str(v).strip()}
    return clean, found


def step_complete(pathway: Pathway, step: Step, ctx: Context) -> bool:
    if step.kind == StepKind.EVIDENCE:
        return ctx.evidence_count >= step.min_files
    return read_step_json(pathway, step, ctx.answers, ctx).ok


def first_incomplete_step(pathway: Pathway, ctx: Context, visited: Iterable[str]) -> Step | None:
    """The first step not yet answered, or whose answers no longer pass (after a change)."""
    seen = set(visited)
    for step in visible_steps(pathway, ctx):
        if step.slug not in seen or not step_complete(pathway, step, ctx):
            return step
    return None
