"""Importing notice history: notices already issued here before, or by other authorities.

CSV `reference,upn,parent_ref,case,issued_on,status` with optional
`paid_on,amount_paid,convicted,withdrawn_ground,local_authority` (docs/penalties.md).
Two steps, kept apart so the shared import registry can call each: `history_parse` reads and
checks the text (pure: no ORM), `history_store` matches pupils, parents and existing notices
in a few set-based queries and upserts in bulk. Nothing is written unless every row is good.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any, BinaryIO, Final

from django.db import transaction
from django.utils import timezone

from penalties.models import PenaltyNotice
from penalties.vocabulary import Case, NoticeStatus, WithdrawnGround
from schools.imports.common import (
    REQUIRED,
    ImportRefused,
    RowError,
    open_csv,
    parse_bool,
    parse_iso_date,
)
from schools.models import Parent, Pupil

REQUIRED_COLUMNS: Final = ("reference", "upn", "parent_ref", "case", "issued_on", "status")
OPTIONAL_COLUMNS: Final = (
    "paid_on",
    "amount_paid",
    "convicted",
    "withdrawn_ground",
    "local_authority",
)
CHUNK: Final = 5000  # keeps IN (...) lists inside SQLite's variable limit

# --- error texts (tests import these) -------------------------------------------------------
BAD_CHOICE = "{column}: {value!r} is not one of {choices}"
IN_FUTURE = "{column}: {value} is in the future"
BAD_AMOUNT = "amount_paid: {value!r} is not an amount in pounds with up to 2 decimals"
BAD_LA = "local_authority: {value!r} is not a 3-digit LA number"
TOO_LONG = "{column}: {value!r} is longer than {limit} characters"
GROUND_REQUIRED = "withdrawn_ground: is required for a withdrawn notice"
GROUND_NOT_WITHDRAWN = "withdrawn_ground: is given but the notice is not withdrawn"
PAID_BEFORE_ISSUED = "paid_on: {paid} is before issued_on {issued}"
IMPROVE_STATUS = "status: a notice to improve is issued or withdrawn, not {value!r}"
DUPLICATE = "reference: {value!r} already given on line {first} with different values"
UNKNOWN_PUPIL = "upn: no pupil has UPN {value!r}"
UNKNOWN_PARENT = "parent_ref: no parent has reference {value!r}"
ISSUED_HERE = (
    "reference: {value!r} was issued by this service; its record is kept here, not imported"
)

AMOUNT = re.compile(r"^\d+(\.\d{1,2})?$")
LA_CODE = re.compile(r"^\d{3}$")
REFERENCE_MAX, REF_MAX = 40, 40


@dataclass(frozen=True)
class HistoryRow:
    """One checked row: plain values, the fields a PenaltyNotice stores."""

    line: int
    reference: str
    upn: str
    parent_ref: str
    case: str
    issued_on: date
    status: str
    paid_on: date | None
    amount_paid: int | None  # pence
    convicted: bool
    withdrawn_ground: str
    local_authority: str

    def values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f.name) for f in fields(self) if f.name != "line")


def _choice(column: str, value: str, allowed: Sequence[str]) -> str:
    word = value.strip().lower()
    if word not in allowed:
        raise ValueError(BAD_CHOICE.format(column=column, value=value, choices=", ".join(allowed)))
    return word


def _past_date(column: str, value: str, today: date) -> date:
    day = parse_iso_date(column, value)
    if day > today:
        raise ValueError(IN_FUTURE.format(column=column, value=day.isoformat()))
    return day


def _text(column: str, value: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise ValueError(REQUIRED.format(column=column))
    if len(text) > limit:
        raise ValueError(TOO_LONG.format(column=column, value=text, limit=limit))
    return text


def _pence(value: str) -> int:
    text = value.strip()
    if not AMOUNT.match(text):
        raise ValueError(BAD_AMOUNT.format(value=value))
    return int(Decimal(text) * 100)


def _row(line: int, get: Any, today: date, default_la: str) -> tuple[HistoryRow | None, list[str]]:
    """Check one row; every problem on it is reported, not only the first."""
    problems: list[str] = []
    out: dict[str, Any] = {}

    def field_(name: str, parse: Any) -> None:
        try:
            out[name] = parse(get(name))
        except ValueError as error:
            problems.append(str(error))

    field_("reference", lambda v: _text("reference", v, REFERENCE_MAX))
    field_("upn", lambda v: _text("upn", v, 13).upper())
    field_("parent_ref", lambda v: _text("parent_ref", v, REF_MAX))
    field_("case", lambda v: _choice("case", v, [c.value for c in Case]))
    field_("issued_on", lambda v: _past_date("issued_on", v, today))
    field_("status", lambda v: _choice("status", v, [s.value for s in NoticeStatus]))
    field_("paid_on", lambda v: _past_date("paid_on", v, today) if v.strip() else None)
    field_("amount_paid", lambda v: _pence(v) if v.strip() else None)
    field_("convicted", lambda v: parse_bool("convicted", v))
    field_(
        "withdrawn_ground",
        lambda v: (
            _choice("withdrawn_ground", v, [g.value for g in WithdrawnGround]) if v.strip() else ""
        ),
    )
    field_("local_authority", lambda v: _la(v, default_la))
    status, ground = out.get("status"), out.get("withdrawn_ground")
    if status == NoticeStatus.WITHDRAWN and ground == "":
        problems.append(GROUND_REQUIRED)
    if status is not None and status != NoticeStatus.WITHDRAWN and ground:
        problems.append(GROUND_NOT_WITHDRAWN)
    if out.get("case") == Case.NOTICE_TO_IMPROVE and status in (
        NoticeStatus.PAID,
        NoticeStatus.UNPAID,
    ):
        problems.append(IMPROVE_STATUS.format(value=status))
    paid, issued = out.get("paid_on"), out.get("issued_on")
    if paid and issued and paid < issued:
        problems.append(PAID_BEFORE_ISSUED.format(paid=paid, issued=issued))
    if problems:
        return None, problems
    return HistoryRow(line=line, **out), []


def _la(value: str, default: str) -> str:
    text = value.strip() or default
    if not LA_CODE.match(text):
        raise ValueError(BAD_LA.format(value=text))
    return text


def history_parse(
    data: BinaryIO | bytes, *, today: date, default_la: str
) -> tuple[list[HistoryRow], list[RowError]]:
    """Read and check the whole file: the rows, or every error with its line. Pure."""
    try:
        table = open_csv(data, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS)
    except ImportRefused as refused:
        return [], refused.errors
    errors: list[RowError] = []
    rows: list[HistoryRow] = []
    seen: dict[str, HistoryRow] = {}
    try:
        for line, values in table.rows(errors):

            def get(column: str, values: list[str] = values) -> str:
                index = table.columns.get(column)
                return "" if index is None else values[index]

            row, problems = _row(line, get, today, default_la)
            errors.extend(RowError(line, problem) for problem in problems)
            if row is None:
                continue
            first = seen.get(row.reference)
            if first is None:
                seen[row.reference] = row
                rows.append(row)
            elif first.values() != row.values():
                errors.append(
                    RowError(line, DUPLICATE.format(value=row.reference, first=first.line))
                )
    except ImportRefused as refused:
        errors.extend(refused.errors)
    return rows, sorted(errors)


# --- the store: set-based ---------------------------------------------------------------------
STORED_FIELDS: Final = (
    "pupil_id",
    "parent_id",
    "case",
    "issued_on",
    "status",
    "paid_on",
    "amount_paid",
    "convicted",
    "withdrawn_ground",
    "local_authority",
)


@dataclass
class HistoryOutcome:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] | None = None

    def summary(self) -> str:
        return f"notices: {self.added} added, {self.updated} updated, {self.unchanged} unchanged"


def _in_chunks(model: Any, column: str, keys: Sequence[str], *values: str) -> list[Any]:
    found: list[Any] = []
    for i in range(0, len(keys), CHUNK):
        found += model.objects.filter(**{f"{column}__in": keys[i : i + CHUNK]}).values_list(*values)
    return found


def history_store(rows: Sequence[HistoryRow], *, dry_run: bool = False) -> HistoryOutcome:
    """Match and upsert by reference, atomically: unknown pupils or parents, or a reference
    this service issued itself, refuse the whole file. A re-sent file changes nothing."""
    upns = sorted({r.upn for r in rows})
    refs = sorted({r.parent_ref for r in rows})
    references = sorted({r.reference for r in rows})
    pupils = dict(_in_chunks(Pupil, "upn", upns, "upn", "id"))
    parents = dict(_in_chunks(Parent, "parent_ref", refs, "parent_ref", "id"))
    errors = []
    for row in rows:
        if row.upn not in pupils:
            errors.append(RowError(row.line, UNKNOWN_PUPIL.format(value=row.upn)))
        if row.parent_ref not in parents:
            errors.append(RowError(row.line, UNKNOWN_PARENT.format(value=row.parent_ref)))
    with transaction.atomic():
        existing: dict[str, PenaltyNotice] = {}
        for i in range(0, len(references), CHUNK):
            part = references[i : i + CHUNK]
            query = PenaltyNotice.objects.select_for_update().filter(reference__in=part)
            existing.update((n.reference, n) for n in query)
        new, changed, outcome = [], [], HistoryOutcome()
        for row in rows:
            current = existing.get(row.reference)
            if current is not None and current.source == PenaltyNotice.Source.ISSUED:
                errors.append(RowError(row.line, ISSUED_HERE.format(value=row.reference)))
            if row.upn not in pupils or row.parent_ref not in parents:
                continue
            values = {
                "pupil_id": pupils[row.upn],
                "parent_id": parents[row.parent_ref],
                **{name: getattr(row, name) for name in STORED_FIELDS[2:]},
            }
            if current is None:
                new.append(
                    PenaltyNotice(
                        reference=row.reference, source=PenaltyNotice.Source.IMPORTED, **values
                    )
                )
            elif any(getattr(current, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(current, key, value)
                changed.append(current)
            else:
                outcome.unchanged += 1
        if errors:
            outcome.errors = sorted(errors)
            return outcome
        outcome.added, outcome.updated = len(new), len(changed)
        if not dry_run:
            PenaltyNotice.objects.bulk_create(new, batch_size=1000)
            stamp = timezone.now()
            for notice in changed:
                notice.updated_at = stamp  # bulk_update does not apply auto_now
            PenaltyNotice.objects.bulk_update(
                changed, [*STORED_FIELDS, "updated_at"], batch_size=1000
            )
    return outcome
