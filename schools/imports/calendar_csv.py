"""Calendar CSV: `urn,start,end,kind` (optional `description`).

An empty `urn` is the authority's own dates, which every school follows (only the authority
may send those). `kind` is `term` or `closure`. Ranges are added; a file never deletes one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

from schools.imports.common import (
    NO_SUCH_SCHOOL,
    Counts,
    Outcome,
    Prepared,
    RowError,
    RowErrors,
    check_length,
    check_school_scope,
    open_csv,
    parse_choice,
    parse_iso_date,
)
from schools.models import School, TermDate

REQUIRED_COLUMNS = ("urn", "start", "end", "kind")
OPTIONAL_COLUMNS = ("description",)
END_BEFORE_START = "end: {end} is before start {start}"
AUTHORITY_ONLY = "urn: is empty (the authority's dates for every school); send your school's URN"

Key = tuple[int | None, date, date, str]


@dataclass(frozen=True)
class CalendarRow:
    line: int
    school_id: int | None
    start: date
    end: date
    kind: str
    description: str | None  # None when the file has no description column


def parse_calendar(
    data: BinaryIO | bytes, *, school: School | None = None
) -> tuple[list[CalendarRow], RowErrors]:
    table = open_csv(data, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS)
    col = table.columns
    parsed: list[tuple[int, list[str]]] = []
    errors = RowErrors()
    for line, fields in table.rows(errors):
        parsed.append((line, fields))
    urns = {f[col["urn"]].strip() for _, f in parsed} - {""}
    school_ids = dict(School.objects.filter(urn__in=urns).values_list("urn", "id"))
    rows: list[CalendarRow] = []
    seen: dict[Key, CalendarRow] = {}
    for line, fields in parsed:
        before = len(errors)
        urn = fields[col["urn"]].strip()
        school_id: int | None = None
        if not urn:
            if school is not None:
                errors.append(RowError(line, AUTHORITY_ONLY))
        elif check_school_scope(urn, school, errors, line):
            school_id = school_ids.get(urn)
            if school_id is None:
                errors.append(RowError(line, NO_SUCH_SCHOOL.format(value=urn)))
        values: dict[str, Any] = {}
        for column, parse in (
            ("start", lambda v: parse_iso_date("start", v)),
            ("end", lambda v: parse_iso_date("end", v)),
            ("kind", lambda v: parse_choice("kind", v, TermDate.Kind.choices)),
        ):
            try:
                values[column] = parse(fields[col[column]])
            except ValueError as exc:
                errors.append(RowError(line, str(exc)))
        if "start" in values and "end" in values and values["end"] < values["start"]:
            errors.append(
                RowError(line, END_BEFORE_START.format(end=values["end"], start=values["start"]))
            )
        description = None
        if table.has("description"):
            try:
                description = check_length("description", fields[col["description"]].strip(), 200)
            except ValueError as exc:
                errors.append(RowError(line, str(exc)))
        if len(errors) > before:
            continue
        row = CalendarRow(
            line, school_id, values["start"], values["end"], values["kind"], description
        )
        key = (school_id, row.start, row.end, row.kind)
        first = seen.setdefault(key, row)
        if first is row:
            rows.append(row)
        elif first.description != row.description:
            errors.append(
                RowError(
                    line,
                    f"the same {row.kind} {row.start} to {row.end} is already given "
                    f"on line {first.line} with a different description",
                )
            )
    return rows, errors


class CalendarImport(Prepared):
    def __init__(
        self, data: BinaryIO | bytes, *, school: School | None = None, authority: bool = False
    ) -> None:
        self.rows, self.errors = parse_calendar(data, school=school)
        self.rows_total = len(self.rows)
        self._plan: tuple[list[TermDate], list[TermDate], int] | None = None

    def _make_plan(self) -> tuple[list[TermDate], list[TermDate], int]:
        if self._plan is None:
            starts = {r.start for r in self.rows}
            existing: dict[Key, TermDate] = {
                (t.school_id, t.start, t.end, t.kind): t
                for t in TermDate.objects.filter(start__in=starts)
            }
            new: list[TermDate] = []
            changed: list[TermDate] = []
            unchanged = 0
            for row in self.rows:
                current = existing.get((row.school_id, row.start, row.end, row.kind))
                if current is None:
                    new.append(
                        TermDate(
                            school_id=row.school_id,
                            start=row.start,
                            end=row.end,
                            kind=row.kind,
                            description=row.description or "",
                        )
                    )
                elif row.description is not None and current.description != row.description:
                    current.description = row.description
                    changed.append(current)
                else:
                    unchanged += 1
            self._plan = (new, changed, unchanged)
        return self._plan

    def preview(self) -> dict[str, Any]:
        new, changed, unchanged = self._make_plan()
        counts = Counts()
        counts.add("term_dates", "added", len(new))
        counts.add("term_dates", "updated", len(changed))
        counts.add("term_dates", "unchanged", unchanged)
        return counts.as_dict()

    def apply(self, batch: Any) -> Outcome:
        counts = self.preview()
        new, changed, _ = self._make_plan()
        TermDate.objects.bulk_create(new, batch_size=1000)
        if changed:
            TermDate.objects.bulk_update(changed, ["description"], batch_size=1000)
        return Outcome(counts=counts, rows_done=len(new) + len(changed))
