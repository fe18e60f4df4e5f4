"""Parents as the authority knows them (issue 11 item 1): CSV
`upn,parent_ref,forename,surname` and optionally
`title,relationship,parental_responsibility,lives_with_pupil,address_line_1,address_line_2,
town,postcode,email,phone`, through the import registry (command, upload, API).

A parent is matched on `parent_ref` (the authority's person reference) and may be linked to
several pupils; each row links the parent to the pupil. Only the columns the file has are
written, so a file without addresses never blanks the addresses a CTF filled. Validated
whole, atomic, idempotent (a re-sent file changes nothing), `line N: reason`; the store
reads pupils, parents and links in three set-based queries and writes in bulk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, BinaryIO, Final

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from schools.import_registry import ImportKind, Uploaders, import_kind_register
from schools.imports.common import (
    Counts,
    Outcome,
    Prepared,
    RowError,
    check_length,
    open_csv,
    parse_bool,
)
from schools.imports.history import ChangeLog
from schools.models import Parent, Pupil, PupilParent

KIND: Final = "parents"
REQUIRED_COLUMNS: Final = ("upn", "parent_ref", "forename", "surname")
PARENT_COLUMNS: Final = {
    "title": 20,
    "address_line_1": 200,
    "address_line_2": 200,
    "town": 100,
    "postcode": 10,
    "email": 254,
    "phone": 30,
}
LINK_COLUMNS: Final = ("relationship", "parental_responsibility", "lives_with_pupil")
OPTIONAL_COLUMNS: Final = (*PARENT_COLUMNS, *LINK_COLUMNS)
UNKNOWN_UPN: Final = "upn: no pupil has UPN {value!r}"
REQUIRED_VALUE: Final = "{column}: a value is required"
DIFFERENT_DETAILS: Final = "parent_ref {ref!r}: different details from line {line}"
BAD_EMAIL: Final = "email: {value!r} is not an email address"
LINK_TWICE: Final = "upn {upn} and parent_ref {ref!r} already given on line {line}"


@dataclass(frozen=True)
class ParentRow:
    line: int
    upn: str
    parent_ref: str
    parent: dict[str, Any]  # the Parent fields the file has
    link: dict[str, Any]  # the PupilParent fields the file has


def parents_parse(data: BinaryIO | bytes) -> tuple[list[ParentRow], list[RowError]]:
    table = open_csv(data, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS)
    col = table.columns
    errors: list[RowError] = []
    rows: list[ParentRow] = []
    seen_links: dict[tuple[str, str], int] = {}
    seen_parents: dict[str, ParentRow] = {}
    for line, fields in table.rows(errors):
        problems: list[str] = []

        def get(name: str, fields: list[str] = fields) -> str:
            return fields[col[name]].strip()

        values: dict[str, str] = {}
        for column, limit in (("upn", 13), ("parent_ref", 40), ("forename", 100), ("surname", 100)):
            try:
                values[column] = check_length(column, get(column), limit)
                if not values[column]:
                    problems.append(REQUIRED_VALUE.format(column=column))
            except ValueError as exc:
                problems.append(str(exc))
        parent: dict[str, Any] = {
            "forename": values.get("forename", ""),
            "surname": values.get("surname", ""),
        }
        for column, limit in PARENT_COLUMNS.items():
            if table.has(column):
                try:
                    parent[column] = check_length(column, get(column), limit)
                except ValueError as exc:
                    problems.append(str(exc))
        if parent.get("email"):
            try:
                validate_email(parent["email"])
            except ValidationError:
                problems.append(BAD_EMAIL.format(value=parent["email"]))
        link: dict[str, Any] = {}
        if table.has("relationship"):
            try:
                link["relationship"] = check_length("relationship", get("relationship"), 50)
            except ValueError as exc:
                problems.append(str(exc))
        for column in ("parental_responsibility", "lives_with_pupil"):
            if table.has(column):
                try:
                    link[column] = parse_bool(column, get(column)) if get(column) else True
                except ValueError as exc:
                    problems.append(str(exc))
        upn, ref = values.get("upn", "").upper(), values.get("parent_ref", "")
        if upn and ref:
            if (upn, ref) in seen_links:
                problems.append(LINK_TWICE.format(upn=upn, ref=ref, line=seen_links[(upn, ref)]))
            seen_links.setdefault((upn, ref), line)
            earlier = seen_parents.get(ref)
            if earlier is not None and earlier.parent != parent:
                problems.append(DIFFERENT_DETAILS.format(ref=ref, line=earlier.line))
        errors.extend(RowError(line, p) for p in problems)
        if not problems:
            row = ParentRow(line, upn, ref, parent, link)
            seen_parents.setdefault(ref, row)
            rows.append(row)
    pupils = set(Pupil.objects.filter(upn__in={r.upn for r in rows}).values_list("upn", flat=True))
    for row in rows:
        if row.upn not in pupils:
            errors.append(RowError(row.line, UNKNOWN_UPN.format(value=row.upn)))
    return rows, sorted(errors, key=lambda e: e.line)


class ParentsImport(Prepared):
    def __init__(
        self, data: BinaryIO | bytes, *, school: Any = None, authority: bool = False
    ) -> None:
        self.rows, self.errors = parents_parse(data)
        self.rows_total = len(self.rows)
        self._plan: dict[str, Any] | None = None

    def _make_plan(self) -> dict[str, Any]:
        if self._plan is not None:
            return self._plan
        pupils = {p.upn: p.pk for p in Pupil.objects.filter(upn__in={r.upn for r in self.rows})}
        parents = {
            p.parent_ref: p
            for p in Parent.objects.filter(parent_ref__in={r.parent_ref for r in self.rows})
        }
        new_parents: dict[str, Parent] = {}
        changed_parents: dict[str, Parent] = {}
        parent_fields: set[str] = set()
        log = ChangeLog()  # parents and their links keep their history (issue 15 item 3)
        for row in self.rows:
            current = parents.get(row.parent_ref)
            if current is None:
                new_parents.setdefault(
                    row.parent_ref, Parent(parent_ref=row.parent_ref, **row.parent)
                )
                continue
            diff = {k: v for k, v in row.parent.items() if getattr(current, k) != v}
            if diff:
                for key, value in diff.items():
                    log.change(current, key, getattr(current, key), value, pupil_id=pupils[row.upn])
                    setattr(current, key, value)
                parent_fields.update(diff)
                changed_parents[row.parent_ref] = current
        links = {
            (link.pupil_id, link.parent.parent_ref): link
            for link in PupilParent.objects.filter(
                pupil_id__in=pupils.values(),
                parent__parent_ref__in={r.parent_ref for r in self.rows},
            ).select_related("parent")
        }
        new_links: list[tuple[int, str, dict[str, Any]]] = []
        changed_links: list[PupilParent] = []
        link_fields: set[str] = set()
        for row in self.rows:
            existing = links.get((pupils[row.upn], row.parent_ref))
            if existing is None:
                new_links.append((pupils[row.upn], row.parent_ref, row.link))
                continue
            diff = {k: v for k, v in row.link.items() if getattr(existing, k) != v}
            if diff:
                for key, value in diff.items():
                    log.change(existing, key, getattr(existing, key), value)
                    setattr(existing, key, value)
                link_fields.update(diff)
                changed_links.append(existing)
        self._plan = {
            "new_parents": list(new_parents.values()),
            "changed_parents": list(changed_parents.values()),
            "parent_fields": sorted(parent_fields),
            "new_links": new_links,
            "changed_links": changed_links,
            "link_fields": sorted(link_fields),
            "unchanged": len(self.rows) - len(new_links) - len(changed_links),
            "history": log,
        }
        return self._plan

    def preview(self) -> dict[str, Any]:
        plan = self._make_plan()
        counts = Counts()
        counts.add("parents", "added", len(plan["new_parents"]))
        counts.add("parents", "updated", len(plan["changed_parents"]))
        counts.add("links", "added", len(plan["new_links"]))
        counts.add("links", "updated", len(plan["changed_links"]))
        counts.add("links", "unchanged", plan["unchanged"])
        return counts.as_dict()

    def apply(self, batch: Any) -> Outcome:
        counts = self.preview()
        plan = self._make_plan()
        Parent.objects.bulk_create(plan["new_parents"], batch_size=1000)
        if plan["changed_parents"]:
            Parent.objects.bulk_update(plan["changed_parents"], plan["parent_fields"], 1000)
        refs = {
            p.parent_ref: p.pk
            for p in Parent.objects.filter(parent_ref__in={r.parent_ref for r in self.rows})
        }
        PupilParent.objects.bulk_create(
            [
                PupilParent(pupil_id=pupil, parent_id=refs[ref], **link)
                for pupil, ref, link in plan["new_links"]
            ],
            batch_size=1000,
        )
        if plan["changed_links"]:
            PupilParent.objects.bulk_update(plan["changed_links"], plan["link_fields"], 1000)
        plan["history"].write(batch)
        done = len(plan["new_links"]) + len(plan["changed_links"]) + len(plan["changed_parents"])
        return Outcome(counts=counts, rows_done=done)


def register_parents_import() -> None:
    import_kind_register(
        ImportKind(
            kind=KIND,
            label="Parents (CSV)",
            prepare=ParentsImport,
            uploaders=Uploaders.AUTHORITY,
            hint="CSV: upn, parent_ref, forename, surname; optional title, relationship, address",
        )
    )
