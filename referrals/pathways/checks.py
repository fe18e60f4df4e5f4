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

from referrals.engine.definitions import OnFail, Requirement
from referrals.pathway_rules import code_age_mismatches
from schools.school_age import is_compulsory_school_age

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


# --- register codes that do not fit the pupil's age (issue 10 item 12) -----------------------
def _this_year_mismatches(ctx: Context) -> tuple[int, int] | None:
    facts, pupil = ctx.facts, ctx.pupil
    if facts is None or pupil is None:
        return None
    this_year = [m for m in facts.marks if m.date <= facts.as_of]
    return code_age_mismatches(this_year, dob=pupil.date_of_birth)


def _codes_fit_age(ctx: Context) -> bool | None:
    found = _this_year_mismatches(ctx)
    return None if found is None else found == (0, 0)


def _codes_fit_age_detail(ctx: Context) -> str:
    found = _this_year_mismatches(ctx)
    if not found or found == (0, 0):
        return ""
    c2_below, x_of_age = found
    return (
        f"The register shows {c2_below} C2 sessions while the pupil was below compulsory "
        f"school age and {x_of_age} X sessions while of it. Please check your register."
    )


def codes_fit_age_requirement() -> Requirement:
    """A warning to the school, never a refusal: the register is the school's (DOMAIN §2)."""
    return Requirement(
        "codes-fit-age",
        "The register's C2 and X codes fit the pupil's age",
        _codes_fit_age,
        OnFail.WARN,
        "C2 is for a pupil of compulsory school age on a part-time timetable; X is for a "
        "pupil not of compulsory school age. Check the register's codes.",
        "SI 2024/208 Schedule; KSAH §18; DOMAIN §2, §11",
        detail=_codes_fit_age_detail,
    )
