"""Schools CSV: `urn,name,phase,type,district` (optional `la_code`, `estab`). Upserts by URN.

`state_funded` is set from `type`: an independent school is not state funded, every other
type is (see docs/import-formats.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, BinaryIO

from kpas.base.models import District
from schools.imports.common import (
    DUPLICATE_ROW,
    REQUIRED,
    Counts,
    Outcome,
    Prepared,
    RowError,
    RowErrors,
    check_length,
    check_school_scope,
    open_csv,
    parse_choice,
)
from schools.models import School

REQUIRED_COLUMNS = ("urn", "name", "phase", "type", "district")
OPTIONAL_COLUMNS = ("la_code", "estab")
BAD_URN = "urn: {value!r} is not a URN (6 to 8 digits)"
NO_SUCH_DISTRICT = "district: no district is named {value!r}"
BAD_LA_CODE = "la_code: {value!r} is not an LA number (3 digits)"
BAD_ESTAB = "estab: {value!r} is not an establishment number (4 digits)"
URN_PATTERN = re.compile(r"^\d{6,8}$")


@dataclass(frozen=True)
class SchoolRow:
    line: int
    urn: str
    values: dict[str, Any]  # only the columns the file has


def parse_schools(
    data: BinaryIO | bytes, *, school: School | None = None
) -> tuple[list[SchoolRow], RowErrors]:
    table = open_csv(data, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS)
    col = table.columns
    districts = {d.name.strip().lower(): d.pk for d in District.objects.all()}
    errors = RowErrors()
    rows: list[SchoolRow] = []
    seen: dict[str, SchoolRow] = {}
    for line, fields in table.rows(errors):
        before = len(errors)
        urn = fields[col["urn"]].strip()
        if not URN_PATTERN.match(urn):
            errors.append(RowError(line, BAD_URN.format(value=urn)))
        else:
            check_school_scope(urn, school, errors, line)
        values: dict[str, Any] = {}
        name = fields[col["name"]].strip()
        if not name:
            errors.append(RowError(line, REQUIRED.format(column="name")))
        for column, key, check in (
            ("name", "name", lambda v: check_length("name", v, 200)),
            ("phase", "phase", lambda v: parse_choice("phase", v, School.Phase.choices)),
            ("type", "school_type", lambda v: parse_choice("type", v, School.Type.choices)),
        ):
            try:
                values[key] = check(fields[col[column]].strip())
            except ValueError as exc:
                errors.append(RowError(line, str(exc)))
        if "school_type" in values:
            # Whether the school is state funded follows from its type, never a column of its
            # own (issue 10 item 14): independent schools are not (DOMAIN §1).
            values["state_funded"] = values["school_type"] != School.Type.INDEPENDENT
        district = fields[col["district"]].strip()
        if district.lower() in districts:
            values["district_id"] = districts[district.lower()]
        else:
            errors.append(RowError(line, NO_SUCH_DISTRICT.format(value=district)))
        if table.has("la_code"):
            values["la_code"] = fields[col["la_code"]].strip()
            if values["la_code"] and not re.fullmatch(r"\d{3}", values["la_code"]):
                errors.append(RowError(line, BAD_LA_CODE.format(value=values["la_code"])))
        if table.has("estab"):
            values["estab"] = fields[col["estab"]].strip()
            if values["estab"] and not re.fullmatch(r"\d{4}", values["estab"]):
                errors.append(RowError(line, BAD_ESTAB.format(value=values["estab"])))
        if len(errors) > before:
            continue
        row = SchoolRow(line=line, urn=urn, values=values)
        first = seen.setdefault(urn, row)
        if first is not row:
            if first.values != row.values:
                what = f"URN {urn}"
                errors.append(RowError(line, DUPLICATE_ROW.format(what=what, first=first.line)))
            continue
        rows.append(row)
    return rows, errors


class SchoolsImport(Prepared):
    def __init__(
        self, data: BinaryIO | bytes, *, school: School | None = None, authority: bool = False
    ) -> None:
        self.rows, self.errors = parse_schools(data, school=school)
        self.rows_total = len(self.rows)
        self._plan: tuple[list[School], list[School], int, set[str]] | None = None

    def _make_plan(self) -> tuple[list[School], list[School], int, set[str]]:
        if self._plan is None:
            existing = {s.urn: s for s in School.objects.filter(urn__in=[r.urn for r in self.rows])}
            new: list[School] = []
            changed: list[School] = []
            fields_changed: set[str] = set()
            unchanged = 0
            for row in self.rows:
                current = existing.get(row.urn)
                if current is None:
                    new.append(School(urn=row.urn, **row.values))
                    continue
                diff = {k: v for k, v in row.values.items() if getattr(current, k) != v}
                if diff:
                    for key, value in diff.items():
                        setattr(current, key, value)
                    fields_changed.update(diff)
                    changed.append(current)
                else:
                    unchanged += 1
            self._plan = (new, changed, unchanged, fields_changed)
        return self._plan

    def preview(self) -> dict[str, Any]:
        new, changed, unchanged, _ = self._make_plan()
        counts = Counts()
        counts.add("schools", "added", len(new))
        counts.add("schools", "updated", len(changed))
        counts.add("schools", "unchanged", unchanged)
        return counts.as_dict()

    def apply(self, batch: Any) -> Outcome:
        counts = self.preview()
        new, changed, _, fields_changed = self._make_plan()
        School.objects.bulk_create(new, batch_size=1000)
        if changed:
            School.objects.bulk_update(changed, sorted(fields_changed), batch_size=1000)
        return Outcome(counts=counts, rows_done=len(new) + len(changed))
