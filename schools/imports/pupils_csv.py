"""Pupils CSV: `urn,upn,forename,surname,date_of_birth` then optional columns.

A pupil is matched by UPN (validated with its check letter) and only the columns the file
has are set. An enrolment at the row's school is created when the pupil has none open there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any, BinaryIO

from django.utils import timezone
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.gb import upn as upn_number

from schools.calendar import academic_year_start
from schools.imports.common import (
    NO_SUCH_SCHOOL,
    REQUIRED,
    Counts,
    Outcome,
    Prepared,
    RowError,
    RowErrors,
    check_length,
    check_school_scope,
    open_csv,
    parse_bool,
    parse_choice,
    parse_iso_date,
)
from schools.imports.input_rules import birth_date_problem
from schools.imports.pupils_store import EnrolmentRecord, PupilPlan, PupilRecord
from schools.models import Enrolment, Pupil, School

REQUIRED_COLUMNS = ("urn", "upn", "forename", "surname", "date_of_birth")
TEXT_COLUMNS = {  # column -> longest value the model holds
    "preferred_forename": 100,
    "preferred_surname": 100,
    "address_line_1": 200,
    "address_line_2": 200,
    "town": 100,
    "postcode": 10,
    "care_la": 100,
}
BOOLEAN_COLUMNS = (
    "fsm",
    "sen_support",
    "ehcp",
    "eal",
    "child_in_care",
    "social_worker",
    "previously_looked_after",
    "grt",
    "known_to_early_help",
    "known_to_social_care",
    "known_to_youth_offending",
)
ENROLMENT_COLUMNS = ("year_group", "start_date", "registration", "previous_school_leaving_date")
OPTIONAL_COLUMNS = (
    "preferred_forename", "preferred_surname", "gender", "address_line_1", "address_line_2",
    "town", "postcode", *BOOLEAN_COLUMNS[:5], "care_la", *BOOLEAN_COLUMNS[5:],
    *ENROLMENT_COLUMNS,
)  # fmt: skip
GENDERS = [(str(value), str(label)) for value, label in Pupil._meta.get_field("gender").flatchoices]
YEAR_GROUPS = ("N1", "N2", "R", *(str(n) for n in range(1, 15)), "X")

BAD_UPN = "upn: {value!r} is not a valid UPN ({detail})"
BAD_YEAR_GROUP = "year_group: {value!r} is not one of " + ", ".join(YEAR_GROUPS)
CONFLICTING_PUPIL = "upn: UPN {upn} is already given on line {first} with different details"
SAME_ENROLMENT = "UPN {upn} at URN {urn} is already given on line {first}"


def clean_upn(value: str) -> str:
    """The UPN in capitals; raises ValueError naming what is wrong."""
    try:
        return str(upn_number.validate(value.strip().upper()))
    except StdnumError as exc:
        raise ValueError(
            BAD_UPN.format(value=value.strip(), detail=str(exc).lower().rstrip("."))
        ) from None


def clean_year_group(value: str) -> str:
    text = value.strip().upper().removeprefix("Y").removeprefix("EAR").strip()
    text = text.lstrip("0") if text.isdigit() else text
    if text not in YEAR_GROUPS:
        raise ValueError(BAD_YEAR_GROUP.format(value=value))
    return text


def _text(column: str, limit: int, value: str) -> str:
    return check_length(column, value.strip(), limit)


def _column_parsers(today: date) -> dict[str, Callable[[str], Any]]:
    def date_of_birth(v: str) -> date:
        born = parse_iso_date("date_of_birth", v)
        if problem := birth_date_problem(born, today=today):
            raise ValueError(problem)
        return born

    parsers: dict[str, Callable[[str], Any]] = {
        "forename": lambda v: check_length("forename", v.strip(), 100),
        "surname": lambda v: check_length("surname", v.strip(), 100),
        "date_of_birth": date_of_birth,
        "gender": lambda v: parse_choice("gender", v, GENDERS) if v.strip() else "",
    }
    for column, limit in TEXT_COLUMNS.items():
        parsers[column] = partial(_text, column, limit)
    for column in BOOLEAN_COLUMNS:
        parsers[column] = partial(parse_bool, column)
    return parsers


def parse_pupils(
    data: BinaryIO | bytes, *, school: School | None = None, today: date | None = None
) -> tuple[list[PupilRecord], list[EnrolmentRecord], dict[str, date], RowErrors]:
    """The file's pupils, their enrolments, and the leaving dates it gives for each pupil's
    earlier registration (`previous_school_leaving_date`), or every row's errors."""
    today = today or timezone.localdate()
    table = open_csv(data, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS)
    col = table.columns
    errors = RowErrors()
    # Every school's id (a county has hundreds, a file can have a million rows): the rows
    # are read once, as they stream, never held as text (issue 15 item 2).
    school_ids = dict(School.objects.values_list("urn", "id"))
    parsers = _column_parsers(today)
    pupil_columns = [c for c in col if c in parsers]
    default_start = academic_year_start(today)
    pupils: dict[str, PupilRecord] = {}
    enrolments: dict[tuple[str, int], EnrolmentRecord] = {}
    leaving: dict[str, date] = {}
    for line, fields in table.rows(errors):
        before = len(errors)
        urn = fields[col["urn"]].strip()
        school_id = None
        if check_school_scope(urn, school, errors, line):
            school_id = school_ids.get(urn)
            if school_id is None:
                errors.append(RowError(line, NO_SUCH_SCHOOL.format(value=urn)))
        try:
            upn = clean_upn(fields[col["upn"]])
        except ValueError as exc:
            errors.append(RowError(line, str(exc)))
            upn = ""
        values: dict[str, Any] = {}
        for column in pupil_columns:
            text = fields[col[column]]
            if column in REQUIRED_COLUMNS and not text.strip():
                errors.append(RowError(line, REQUIRED.format(column=column)))
                continue
            try:
                values[column] = parsers[column](text)
            except ValueError as exc:
                errors.append(RowError(line, str(exc)))
        enrolment = EnrolmentRecord(
            line=line,
            upn=upn,
            school_id=school_id or 0,
            start_date=default_start,
            must_be_open=True,
        )
        try:
            if table.has("start_date") and fields[col["start_date"]].strip():
                enrolment.start_date = parse_iso_date("start_date", fields[col["start_date"]])
            if table.has("year_group") and fields[col["year_group"]].strip():
                enrolment.year_group = clean_year_group(fields[col["year_group"]])
            if table.has("registration") and fields[col["registration"]].strip():
                enrolment.registration = parse_choice(
                    "registration",
                    fields[col["registration"]],
                    Enrolment.Registration.choices,
                )
            previous = "previous_school_leaving_date"
            if table.has(previous) and fields[col[previous]].strip() and upn:
                leaving[upn] = parse_iso_date(previous, fields[col[previous]])
        except ValueError as exc:
            errors.append(RowError(line, str(exc)))
        if len(errors) > before:
            continue
        first = pupils.setdefault(upn, PupilRecord(line=line, upn=upn, values=values))
        if first.line != line and first.values != values:
            errors.append(RowError(line, CONFLICTING_PUPIL.format(upn=upn, first=first.line)))
            continue
        key = (upn, enrolment.school_id)
        if key in enrolments:
            other = enrolments[key]
            errors.append(RowError(line, SAME_ENROLMENT.format(upn=upn, urn=urn, first=other.line)))
            continue
        enrolments[key] = enrolment
    return list(pupils.values()), list(enrolments.values()), leaving, errors


class PupilsImport(Prepared):
    """`school` without `authority`: a school's own upload, which may add its own new
    pupils and update its own, never take over a pupil registered elsewhere
    (schools.imports.pupils_store)."""

    def __init__(
        self, data: BinaryIO | bytes, *, school: School | None = None, authority: bool = False
    ) -> None:
        pupils, enrolments, leaving, self.errors = parse_pupils(data, school=school)
        self.rows_total = len(enrolments)
        own = school.pk if school is not None and not authority else None
        releases: dict[str, dict[int | None, date]] = {
            upn: {None: day} for upn, day in leaving.items()
        }
        self.plan = (
            PupilPlan(pupils, enrolments, own_school_id=own, releases=releases)
            if not self.errors
            else None
        )
        if self.plan is not None:
            self.errors.extend(self.plan.errors)

    def preview(self) -> dict[str, Any]:
        counts = Counts()
        if self.plan is not None:
            self.plan.count_into(counts)
        return counts.as_dict()

    def apply(self, batch: Any) -> Outcome:
        assert self.plan is not None
        counts = self.preview()
        self.plan.apply(batch)
        changed = sum(v["added"] + v["updated"] for v in counts.values())
        return Outcome(counts=counts, rows_done=changed)
