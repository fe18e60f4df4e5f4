"""One question's value: read from a web form or JSON, checked, and shown back.

Answers are stored as JSON-friendly canonical values: text as str, dates as ISO strings,
yes-or-no as bool, numbers as int, checkboxes as a list of values, a group as a list of
dicts. The web and the API read into the same values and are checked by the same code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from stdnum.gb import upn as upn_number

from referrals import errors
from referrals.engine.definitions import Choice, Field, Kind

if TYPE_CHECKING:
    from django.http import QueryDict

    from referrals.engine.context import Context

TEXT_KINDS = frozenset(
    {Kind.TEXT, Kind.TEXTAREA, Kind.EMAIL, Kind.PHONE, Kind.POSTCODE, Kind.PUPIL, Kind.SCHOOL}
)
CHOICE_KINDS = frozenset({Kind.RADIOS, Kind.SELECT, Kind.YES_NO, Kind.CHECKBOXES})
DEFAULT_MAX_LENGTH = {
    Kind.TEXT: 200,
    Kind.TEXTAREA: 5000,
    Kind.EMAIL: 254,
    Kind.PHONE: 30,
    Kind.POSTCODE: 10,
    Kind.PUPIL: 20,
    Kind.SCHOOL: 10,
}
YES_NO_CHOICES = (Choice("yes", "Yes"), Choice("no", "No"))
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()-]{10,20}$")
POSTCODE_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
URN_PATTERN = re.compile(r"^\d{6,8}$")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass
class Parsed:
    value: Any = None  # the canonical value, None when nothing was given
    error: str | None = None
    anchor: str = ""  # which input the error summary links to: "-day", "-month", "-year"


def choices_of(field: Field, ctx: Context | None = None) -> tuple[Choice, ...]:
    if field.choices_from is not None:
        return field.choices_from(ctx) if ctx is not None else ()
    if field.kind == Kind.YES_NO:
        return field.choices or YES_NO_CHOICES
    if field.kind == Kind.SCHOOL and ctx is not None and ctx.user_school_urns:
        return tuple(Choice(urn, label) for urn, label in ctx.user_schools)
    return field.choices


def school_is_choice(ctx: Context) -> bool:
    """Signed-in school staff pick one of their schools; everyone else types a URN."""
    return ctx.user is not None and ctx.user.is_school_staff and bool(ctx.user_school_urns)


def lower_first(text: str) -> str:
    if len(text) > 1 and text[1].isupper():
        return text  # an acronym: "UPN", "EHCP"
    return text[:1].lower() + text[1:]


def required_message(field: Field) -> str:
    if field.error_required:
        return field.error_required
    if field.kind in CHOICE_KINDS:
        return errors.SELECT_REQUIRED
    if field.kind == Kind.GROUP:
        return errors.GROUP_MIN_ITEMS.format(item=lower_first(field.item_label or "item"))
    return f"Enter {lower_first(field.short_label)}"


# --- reading a web form ------------------------------------------------------------------------
def parse_web(field: Field, data: QueryDict, name: str, ctx: Context) -> tuple[Any, Parsed]:
    """(what the user typed, for showing back; the parsed value or its error)."""
    if field.kind == Kind.DATE:
        raw = {part: data.get(f"{name}-{part}", "").strip() for part in ("day", "month", "year")}
        return raw, _parse_date_parts(field, raw)
    if field.kind == Kind.CHECKBOXES:
        raw_list = [value for value in data.getlist(name) if value]
        return raw_list, _parse_checkboxes(field, raw_list, ctx)
    raw_text = data.get(name, "")
    if field.kind == Kind.YES_NO:
        raw_text = raw_text.strip()
        if raw_text in ("", None):
            return raw_text, Parsed()
        if raw_text not in ("yes", "no"):
            return raw_text, Parsed(error=errors.CHOICE_UNKNOWN)
        return raw_text, Parsed(raw_text == "yes")
    return raw_text, parse_value(field, raw_text, ctx)


def _parse_date_parts(field: Field, raw: dict[str, str]) -> Parsed:
    label = field.short_label
    missing = [part for part in ("day", "month", "year") if not raw[part]]
    if len(missing) == 3:
        return Parsed()
    if missing:
        return Parsed(
            error=errors.DATE_MUST_INCLUDE.format(label=label, parts=" and ".join(missing)),
            anchor=f"-{missing[0]}",
        )
    if not all(raw[part].isdigit() for part in raw):
        return Parsed(error=errors.DATE_REAL.format(label=label), anchor="-day")
    if len(raw["year"]) != 4:
        return Parsed(error=errors.DATE_YEAR_FOUR_DIGITS.format(label=label), anchor="-year")
    try:
        value = date(int(raw["year"]), int(raw["month"]), int(raw["day"]))
    except ValueError:
        return Parsed(error=errors.DATE_REAL.format(label=label), anchor="-day")
    return Parsed(value.isoformat())


def _parse_checkboxes(field: Field, values: list[str], ctx: Context) -> Parsed:
    if not values:
        return Parsed()
    choices = {choice.value: choice for choice in choices_of(field, ctx)}
    if any(value not in choices for value in values):
        return Parsed(error=errors.CHOICE_UNKNOWN)
    exclusive = [choices[v] for v in values if choices[v].exclusive]
    if exclusive and len(values) > 1:
        return Parsed(error=errors.CHECKBOX_EXCLUSIVE.format(label=exclusive[0].label))
    return Parsed(list(dict.fromkeys(values)))


# --- reading JSON (the API) and text -----------------------------------------------------------
def parse_json(field: Field, value: Any, ctx: Context) -> Parsed:
    if value is None or value == "" or value == []:
        return Parsed()
    if field.kind == Kind.DATE:
        if not isinstance(value, str):
            return Parsed(error=errors.DATE_REAL.format(label=field.short_label))
        try:
            return Parsed(date.fromisoformat(value).isoformat())
        except ValueError:
            return Parsed(error=errors.DATE_REAL.format(label=field.short_label))
    if field.kind == Kind.YES_NO:
        if isinstance(value, bool):
            return Parsed(value)
        if value in ("yes", "no"):
            return Parsed(value == "yes")
        return Parsed(error=errors.CHOICE_UNKNOWN)
    if field.kind == Kind.CHECKBOXES:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return Parsed(error=errors.CHOICE_UNKNOWN)
        return _parse_checkboxes(field, value, ctx)
    if field.kind == Kind.INTEGER and isinstance(value, int) and not isinstance(value, bool):
        return parse_value(field, str(value), ctx)
    if not isinstance(value, str | int) or isinstance(value, bool):
        return Parsed(error=errors.ANSWER_REQUIRED)
    return parse_value(field, str(value), ctx)


def parse_value(field: Field, text: str, ctx: Context) -> Parsed:
    """A single text input (or radio/select value) to its canonical value."""
    text = text.strip() if field.kind != Kind.TEXTAREA else text.strip().replace("\r\n", "\n")
    if not text:
        return Parsed()
    kind = field.kind
    if kind == Kind.INTEGER:
        digits = text.replace(",", "")
        if not re.fullmatch(r"-?\d+", digits):
            return Parsed(error=errors.INTEGER_FORMAT.format(label=field.short_label))
        return Parsed(int(digits))
    if kind in (Kind.RADIOS, Kind.SELECT):
        if text not in {choice.value for choice in choices_of(field, ctx)}:
            return Parsed(error=errors.CHOICE_UNKNOWN)
        return Parsed(text)
    if kind == Kind.EMAIL:
        try:
            validate_email(text)
        except ValidationError:
            return Parsed(error=errors.EMAIL_FORMAT)
        return Parsed(text.lower())
    if kind == Kind.PHONE:
        return Parsed(text) if PHONE_PATTERN.match(text) else Parsed(error=errors.PHONE_FORMAT)
    if kind == Kind.POSTCODE:
        compact = re.sub(r"\s+", "", text.upper())
        if not POSTCODE_PATTERN.match(compact):
            return Parsed(error=errors.POSTCODE_FORMAT)
        return Parsed(f"{compact[:-3]} {compact[-3:]}")
    if kind == Kind.PUPIL:
        upn = re.sub(r"\s+", "", text.upper())
        return Parsed(upn) if upn_number.is_valid(upn) else Parsed(error=errors.UPN_FORMAT)
    if kind == Kind.SCHOOL:
        if school_is_choice(ctx):
            ok = text in ctx.user_school_urns
            return Parsed(text) if ok else Parsed(error=errors.SCHOOL_NOT_YOURS)
        return Parsed(text) if URN_PATTERN.match(text) else Parsed(error=errors.URN_FORMAT)
    return Parsed(text)


# --- checks common to both ---------------------------------------------------------------------
def check(field: Field, value: Any, ctx: Context, *, required: bool) -> str | None:
    """Required, lengths, ranges and the field's own validators, on a canonical value."""
    if value is None or value == [] or value == "":
        return required_message(field) if required else None
    label = field.short_label
    limit = field.max_length or DEFAULT_MAX_LENGTH.get(field.kind, 0)
    if limit and isinstance(value, str) and len(value) > limit:
        return errors.TOO_LONG.format(label=label, limit=limit)
    if field.kind == Kind.INTEGER:
        if field.min_value is not None and value < field.min_value:
            return errors.INTEGER_MIN.format(label=label, minimum=field.min_value)
        if field.max_value is not None and value > field.max_value:
            return errors.INTEGER_MAX.format(label=label, maximum=field.max_value)
    for validator in field.validators:
        message = validator(value, ctx)
        if message:
            return message
    return None


# --- showing values back ----------------------------------------------------------------------
def format_date(iso: str) -> str:
    try:
        day = date.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def display(field: Field, value: Any, ctx: Context) -> list[str]:
    """The answer as lines of text for check your answers and the officer's view."""
    if value is None or value == "" or value == []:
        return []
    kind = field.kind
    if kind == Kind.DATE:
        return [format_date(value)]
    if kind == Kind.YES_NO:
        return ["Yes" if value else "No"]
    if kind in (Kind.RADIOS, Kind.SELECT):
        return [field.choice_label(value)]
    if kind == Kind.CHECKBOXES:
        labels = {choice.value: choice.label for choice in choices_of(field, ctx)}
        return [labels.get(v, v) for v in value]
    if kind == Kind.SCHOOL:
        return [ctx.school_label(value)]
    if kind == Kind.TEXTAREA:
        return str(value).splitlines()
    return [str(value)]


def raw_from_value(field: Field, value: Any) -> Any:
    """A stored answer as the inputs show it."""
    if field.kind == Kind.DATE:
        if isinstance(value, str) and value:
            try:
                day = date.fromisoformat(value)
            except ValueError:
                return {"day": "", "month": "", "year": ""}
            return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}
        return {"day": "", "month": "", "year": ""}
    if field.kind == Kind.YES_NO:
        return "" if value is None else ("yes" if value else "no")
    if field.kind == Kind.CHECKBOXES:
        return list(value or [])
    return "" if value is None else str(value)
