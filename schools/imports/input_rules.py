"""Bounds on what a file may say, as pure rules (issue 15 item 2): a register mark only for a
session that has happened, in a school year the authority holds; a pupil's date of birth
within the ages a school can have; no field longer than any real value.

`today` and the first held year are passed in: no clock, no settings (STYLE §2).
"""

from __future__ import annotations

from datetime import date
from typing import Final

from schools.calendar import academic_year_label, academic_year_of, anniversary

# Pupils of compulsory school age are 5 to 16 (DOMAIN §1); schools also teach two-year-olds
# in nursery classes and young people with an EHC plan up to 25 (SEND code of practice
# 0-25). Outside these ages a date of birth is a typing error (`0001-01-01`, `9999-12-31`).
MIN_PUPIL_AGE: Final = 2
MAX_PUPIL_AGE: Final = 25
# No value in any CSV kind comes near this (the longest, an address line, is 100 or 200).
MAX_FIELD_CHARS: Final = 1000

MARK_IN_FUTURE: Final = (
    "{column}: {day} is after today ({today}); marks are taken only for sessions that have happened"
)
MARK_BEFORE_HELD: Final = (
    "{column}: {day} is in the school year {year}, before the first the authority holds "
    "({first}); the register is not kept for it"
)
BIRTH_OUT_OF_RANGE: Final = (
    "date_of_birth: {born} would make the pupil {age} on {today}; a pupil is aged "
    f"{MIN_PUPIL_AGE} to {MAX_PUPIL_AGE}"
)
BIRTH_IN_FUTURE: Final = "date_of_birth: {born} is in the future"
FIELD_TOO_LONG: Final = (
    "{column}: the value is {length:,} characters long; at most {limit:,} are accepted"
)
FIELD_HAS_NUL: Final = (
    "{column}: the value contains a NUL character (byte 0), which no text value may contain"
)


def register_date_problem(
    day: date, *, today: date, first_year: int, column: str = "date"
) -> str | None:
    """Why a mark on `day` cannot be taken, or None. An upload must never reach a school year
    the authority does not hold: on PostgreSQL each year is a partition of the register."""
    if day > today:
        return MARK_IN_FUTURE.format(column=column, day=day, today=today)
    if academic_year_of(day) < first_year:
        return MARK_BEFORE_HELD.format(
            column=column,
            day=day,
            year=academic_year_label(academic_year_of(day)),
            first=academic_year_label(first_year),
        )
    return None


def age_on(born: date, on: date) -> int:
    """Whole years of age on a day (a 29 February birthday ages on 1 March, as the calendar
    module reads the law)."""
    years = on.year - born.year
    return years if anniversary(born, years) <= on else years - 1


def birth_date_problem(born: date, *, today: date) -> str | None:
    if born > today:
        return BIRTH_IN_FUTURE.format(born=born)
    age = age_on(born, today)
    if not MIN_PUPIL_AGE <= age <= MAX_PUPIL_AGE:
        return BIRTH_OUT_OF_RANGE.format(born=born, age=age, today=today)
    return None


def field_problem(column: str, value: str, *, limit: int = MAX_FIELD_CHARS) -> str | None:
    if len(value) > limit:
        return FIELD_TOO_LONG.format(column=column, length=len(value), limit=limit)
    if "\x00" in value:
        return FIELD_HAS_NUL.format(column=column)
    return None
