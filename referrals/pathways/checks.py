"""Checks several pathways share: field validators, cross-checks between answers, and
requirement tests over a yes-or-no answer, the pupil's age and the register figures.

A requirement test returns True when the requirement is met, False when it is not, and None
while it cannot tell (the question is not answered yet, or there is no register to read).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from schools.rules import is_compulsory_school_age

if TYPE_CHECKING:
    from referrals.engine.context import Context
    from referrals.engine.definitions import RequirementTest


# --- field validators and cross-checks ---------------------------------------------------------
@dataclass(frozen=True)
class NotInFuture:
    message: str

    def __call__(self, value: Any, ctx: Context) -> str | None:
        return self.message if isinstance(value, str) and value > ctx.today.isoformat() else None


@dataclass(frozen=True)
class NotInPast:
    message: str

    def __call__(self, value: Any, ctx: Context) -> str | None:
        return self.message if isinstance(value, str) and value < ctx.today.isoformat() else None


@dataclass(frozen=True)
class NotBefore:
    """The date is on or after a fixed date (e.g. the 2024 national framework)."""

    earliest: date
    message: str

    def __call__(self, value: Any, ctx: Context) -> str | None:
        return (
            self.message if isinstance(value, str) and value < self.earliest.isoformat() else None
        )


@dataclass(frozen=True)
class DateOrder:
    """`later` is on or after `earlier` (both dates on the same step or earlier steps)."""

    earlier: str
    later: str
    message: str

    def __call__(self, values: Mapping[str, Any], ctx: Context) -> dict[str, str]:
        first = values.get(self.earlier, ctx.answers.get(self.earlier))
        last = values.get(self.later)
        if isinstance(first, str) and isinstance(last, str) and first and last and last < first:
            return {self.later: self.message}
        return {}


# --- requirement tests --------------------------------------------------------------------
def iso_date(value: object) -> date | None:
    """A date answer (ISO text) as a date; None when it is not answered."""
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def yes_to(name: str) -> RequirementTest:
    """Met when the yes-or-no question `name` is answered yes."""

    def test(ctx: Context) -> bool | None:
        return ctx.answers.get(name)

    return test


def no_to(name: str) -> RequirementTest:
    """Met when the yes-or-no question `name` is answered no."""

    def test(ctx: Context) -> bool | None:
        return None if ctx.answers.get(name) is None else not ctx.answers[name]

    return test


def from_register(check: Callable[[Any, Context], bool | None]) -> RequirementTest:
    """`check(facts, ctx)` over the register figures; unknown without a register."""

    def test(ctx: Context) -> bool | None:
        return None if ctx.facts is None else check(ctx.facts, ctx)

    return test


def compulsory_school_age(ctx: Context) -> bool | None:
    """From the register when the pupil was chosen from it, else from the date of birth
    given (EA96 s.8; DOMAIN §3)."""
    if ctx.facts is not None:
        return ctx.facts.compulsory_school_age
    born = ctx.answers.get("pupil_dob")
    if not isinstance(born, str) or not born:
        return None
    return is_compulsory_school_age(date.fromisoformat(born), ctx.today)
