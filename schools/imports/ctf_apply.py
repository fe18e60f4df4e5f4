"""Applying a Common Transfer File: pupils, parents, enrolments and register marks.

Pupils are matched by UPN and parents by name within the pupil's contacts, so a re-sent
file changes nothing. Attendance years are stored for schools we hold (the source school,
or another of the authority's schools named by LEA and Estab); years at other schools are
counted and skipped. A school's own upload only ever writes its own school's data, and
never takes over a pupil registered at another school unless the file's school history
gives the date the pupil left it (schools.imports.pupils_store).

A CTF's marks never replace the register's (DOMAIN §15): they fill sessions with no mark;
where they disagree the register's mark is kept and the disagreement is listed in the
import's warnings for the school (issue 10 item 13).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, BinaryIO

from schools.imports.common import OTHER_SCHOOL, Counts, Outcome, Prepared, RowError
from schools.imports.ctf import LOST_PUPIL_LEAVERS, CtfFile, CtfPupil, CtfReader
from schools.imports.history import ChangeLog
from schools.imports.marks_checks import marks_kept_against_file
from schools.imports.marks_store import MarkStaging, StageRow
from schools.imports.pupils_store import EnrolmentRecord, PupilPlan, PupilRecord, chunks
from schools.lost_pupils import LostPupils, lost_pupils_report
from schools.models import Parent, PupilParent, School

NO_SOURCE_SCHOOL = "Header/SourceSchool: no school has URN {urn!r} or LEA {lea!r} Estab {estab!r}"
CONFLICTING_YEARS = (
    "pupil {upn}: the attendance for {day} {session} is given on line {first} as '{first_code}' "
    "and here as '{code}'"
)
# Contacts that are parents in law (EA96 s.576): parental responsibility, or one of these.
PARENTAL_RELATIONSHIPS = {
    "PAR": "Parent",
    "STP": "Step-parent",
    "FOF": "Foster parent",
    "CAR": "Carer",
}
OTHER_RELATIONSHIPS = {
    "FAM": "Other family member",
    "REL": "Other relative",
    "OTH": "Other contact",
    "DOC": "Doctor",
    "CHM": "Childminder",
    "SWR": "Social worker",
}
PARENT_FIELDS = ("title", "address_line_1", "address_line_2", "town", "postcode", "phone", "email")
LINK_FIELDS = ("relationship", "parental_responsibility", "lives_with_pupil", "contact_priority")


@dataclass
class ParentPlan:
    new: list[tuple[str, Parent, dict[str, Any]]] = field(default_factory=list)
    changed_parents: list[Parent] = field(default_factory=list)
    changed_links: list[PupilParent] = field(default_factory=list)
    updated: int = 0
    unchanged: int = 0


class CtfImport(Prepared):
    """Read pupil by pupil: each pupil's marks go to the staging table as it is read and are
    then dropped from the pupil, so the file's marks are never all in memory (issue 15
    item 2); the pupils themselves (details, contacts, history) are kept for the plan."""

    def __init__(
        self, data: BinaryIO | bytes, *, school: School | None = None, authority: bool = False
    ) -> None:
        reader = CtfReader(data)
        self.ctf, self.errors = reader.file, reader.errors
        self.own_school_only = school is not None
        self.staging: MarkStaging | None = None
        self.skipped_years = 0
        self.warnings: list[RowError] = []
        self.schools: dict[tuple[str, str], School | None] = {}
        self.first_marks: dict[str, date] = {}  # UPN -> first mark at the source school
        self.source = self._source_school(school)
        if self.source is None:
            self.ctf.pupils.extend(reader.pupils())  # every pupil's errors, nothing staged
            self.rows_total = len(self.ctf.pupils)
            return
        self.schools.update(self._all_schools())
        self.schools[(self.ctf.source_lea, self.ctf.source_estab)] = self.source
        self.staging = MarkStaging(fill_only=True)
        self.staging.load(self._mark_rows(reader.pupils()))
        self.rows_total = len(self.ctf.pupils)
        if self.errors:
            return
        self.plan = PupilPlan(
            [PupilRecord(p.line, p.upn, p.values) for p in self.ctf.pupils],
            list(self._enrolments()),
            own_school_id=self.source.pk if school is not None and not authority else None,
            releases=self._leaving_dates(),
        )
        self.errors.extend(self.plan.errors)
        self.staging.resolve(require_pupils=False, require_enrolment=False, check_duplicates=False)

    # --- reading the file against what we hold -------------------------------------------
    def _source_school(self, school: School | None) -> School | None:
        ctf: CtfFile = self.ctf
        found = School.objects.filter(urn=ctf.source_urn).first() if ctf.source_urn else None
        if found is None and ctf.source_lea and ctf.source_estab:
            found = School.objects.filter(la_code=ctf.source_lea, estab=ctf.source_estab).first()
        if found is None:
            self.errors.append(
                RowError(
                    ctf.source_line,
                    NO_SOURCE_SCHOOL.format(
                        urn=ctf.source_urn, lea=ctf.source_lea, estab=ctf.source_estab
                    ),
                )
            )
        elif school is not None and found.pk != school.pk:
            self.errors.append(
                RowError(ctf.source_line, OTHER_SCHOOL.format(value=found.urn, urn=school.urn))
            )
            return None
        return found

    def _all_schools(self) -> dict[tuple[str, str], School | None]:
        """Every school by (LA, establishment), read before the marks are: no query may run
        while the staging's COPY is open. A school's own upload reads only its own."""
        known: dict[tuple[str, str], School | None] = {("", ""): self.source}
        if not self.own_school_only:
            for other in School.objects.only("pk", "urn", "la_code", "estab"):
                known[(other.la_code, other.estab)] = other
        return known

    def _school(self, lea: str, estab: str) -> School | None:
        """The school a year of attendance or a spell was at, if we hold it."""
        return self.schools.get((lea, estab))

    def _leaving_dates(self) -> dict[str, dict[int | None, date]]:
        """UPN -> school id -> the leaving date the file's school history gives there."""
        spells = [(p.upn, s) for p in self.ctf.pupils for s in p.history if s.leaving]
        estabs = {s.estab for _, s in spells}
        ids = {
            (lea, estab): pk
            for pk, lea, estab in School.objects.filter(estab__in=estabs).values_list(
                "pk", "la_code", "estab"
            )
        }
        found: dict[str, dict[int | None, date]] = {}
        for upn, spell in spells:
            school_id = ids.get((spell.lea, spell.estab))
            if school_id is not None and spell.leaving is not None:
                found.setdefault(upn, {})[school_id] = spell.leaving
        return found

    def _enrolments(self) -> Iterator[EnrolmentRecord]:
        assert self.source is not None
        for pupil in self.ctf.pupils:
            spells: dict[int, EnrolmentRecord] = {}
            for spell in pupil.history:
                school = self._school(spell.lea, spell.estab)
                if school is not None and spell.entry is not None:
                    spells[school.pk] = EnrolmentRecord(
                        line=pupil.line,
                        upn=pupil.upn,
                        school_id=school.pk,
                        start_date=spell.entry,
                        end_date=spell.leaving,
                    )
            first = self.first_marks.get(pupil.upn)
            if self.source.pk not in spells and first is not None:
                spells[self.source.pk] = EnrolmentRecord(
                    line=pupil.line, upn=pupil.upn, school_id=self.source.pk, start_date=first
                )
            if self.source.pk in spells and pupil.year_group:
                spells[self.source.pk].year_group = pupil.year_group
            yield from spells.values()

    def _mark_rows(self, pupils: Iterable[CtfPupil]) -> Iterator[StageRow]:
        """Each pupil's marks as staging rows, as the pupils are read; the pupil is kept
        without them."""
        for pupil in pupils:
            self.ctf.pupils.append(pupil)
            yield from self._pupil_marks(pupil)
            for year in pupil.years:
                year.marks = []

    def _pupil_marks(self, pupil: CtfPupil) -> Iterator[StageRow]:
        given: dict[tuple[int, date, int], tuple[int, str]] = {}
        for year in pupil.years:
            school = self._school(year.lea, year.estab)
            if school is None:
                self.skipped_years += 1
                continue
            if school == self.source and year.marks:
                first = min(d for d, _, _ in year.marks)
                known = self.first_marks.setdefault(pupil.upn, first)
                self.first_marks[pupil.upn] = min(known, first)
            for day, session, code in year.marks:
                key = (school.pk, day, session)
                first_given = given.setdefault(key, (year.line, code))
                if first_given[1] != code:
                    self.errors.append(
                        RowError(
                            year.line,
                            CONFLICTING_YEARS.format(
                                upn=pupil.upn,
                                day=day,
                                session=("AM", "PM")[session],
                                first=first_given[0],
                                first_code=first_given[1],
                                code=code,
                            ),
                        )
                    )
                elif first_given[0] == year.line:
                    yield (year.line, school.urn, pupil.upn, day.isoformat(), session, code)

    # --- parents ----------------------------------------------------------------------------
    def _parents_plan(self, ids: dict[str, int], log: ChangeLog | None = None) -> ParentPlan:
        existing: dict[tuple[int, str, str], PupilParent] = {}
        for part in chunks(sorted(set(ids.values()))):
            for known in PupilParent.objects.filter(pupil_id__in=part).select_related("parent"):
                names = (known.parent.forename.lower(), known.parent.surname.lower())
                existing[(known.pupil_id, *names)] = known
        plan = ParentPlan()
        for pupil in self.ctf.pupils:
            for contact in self._parental_contacts(pupil):
                fields = {
                    "title": contact.title,
                    "phone": contact.phone,
                    "email": contact.email,
                    **contact.address,
                }
                link_fields = {
                    "relationship": PARENTAL_RELATIONSHIPS.get(contact.relationship.upper())
                    or OTHER_RELATIONSHIPS.get(contact.relationship.upper(), contact.relationship),
                    "parental_responsibility": contact.responsibility,
                    "lives_with_pupil": contact.address_as_pupil,
                    "contact_priority": contact.order,
                }
                link_fields["relationship"] = link_fields["relationship"][:50]
                key = (ids.get(pupil.upn, 0), contact.forename.lower(), contact.surname.lower())
                link = existing.get(key)
                if link is None:
                    parent = Parent(forename=contact.forename, surname=contact.surname, **fields)
                    plan.new.append((pupil.upn, parent, link_fields))
                    continue
                parent_diff = {k: v for k, v in fields.items() if getattr(link.parent, k) != v}
                link_diff = {k: v for k, v in link_fields.items() if getattr(link, k) != v}
                if log is not None:  # parents keep their history (issue 10 item 0)
                    for k, v in parent_diff.items():
                        log.change(link.parent, k, getattr(link.parent, k), v, pupil_id=key[0])
                    for k, v in link_diff.items():
                        log.change(link, k, getattr(link, k), v)
                for k, v in parent_diff.items():
                    setattr(link.parent, k, v)
                for k, v in link_diff.items():
                    setattr(link, k, v)
                if parent_diff:
                    plan.changed_parents.append(link.parent)
                if link_diff:
                    plan.changed_links.append(link)
                if parent_diff or link_diff:
                    plan.updated += 1
                else:
                    plan.unchanged += 1
        return plan

    def _parental_contacts(self, pupil: CtfPupil) -> Iterator[Any]:
        for contact in pupil.contacts:
            if contact.responsibility or contact.relationship.upper() in PARENTAL_RELATIONSHIPS:
                yield contact

    # --- preview and apply ------------------------------------------------------------------
    def _counts(self, ids: dict[str, int]) -> Counts:
        counts = Counts()
        self.plan.count_into(counts)
        parents = self._parents_plan(ids)
        counts.add("parents", "added", len(parents.new))
        counts.add("parents", "updated", parents.updated)
        counts.add("parents", "unchanged", parents.unchanged)
        counts.set("attendance_years_skipped", self.skipped_years)
        if self.ctf.lost_pupil:
            counts.set("lost_pupils", len(self.ctf.pupils))
            counts.set(LOST_PUPIL_LEAVERS, self._lost_pupil_leavers())
        return counts

    def _lost_pupil_leavers(self) -> dict[str, Any]:
        assert self.source is not None
        here = {(self.ctf.source_lea, self.ctf.source_estab), ("", "")}
        left = {
            pupil.upn: max(
                (s.leaving for s in pupil.history if (s.lea, s.estab) in here and s.leaving),
                default=None,
            )
            for pupil in self.ctf.pupils
        }
        return {
            "school_id": self.source.pk,
            "left_on": {upn: d.isoformat() if d else "" for upn, d in left.items()},
        }

    def preview(self) -> dict[str, Any]:
        assert self.staging is not None
        counts = self._counts(self.plan.existing_ids)
        diff = self.staging.diff()
        new_pupil_marks = self.staging.unknown_pupil_marks()
        marks = diff.as_counts()
        marks["added"] += new_pupil_marks
        counts.data["marks"] = marks
        self.warnings = marks_kept_against_file(self.staging)
        return counts.as_dict()

    def apply(self, batch: Any) -> Outcome:
        assert self.staging is not None
        counts = self._counts(self.plan.existing_ids)
        ids = self.plan.apply(batch)
        log = ChangeLog()
        parents = self._parents_plan(ids, log)
        created = Parent.objects.bulk_create([p for _, p, _ in parents.new], batch_size=1000)
        links = PupilParent.objects.bulk_create(
            [
                PupilParent(pupil_id=ids[upn], parent=parent, **link)
                for (upn, _, link), parent in zip(parents.new, created, strict=True)
            ],
            batch_size=1000,
        )
        for link in links:
            if link.pk is not None:
                log.added(
                    link,
                    "parental_responsibility",
                    link.parental_responsibility,
                    pupil_id=link.pupil_id,
                )
        if parents.changed_parents:
            Parent.objects.bulk_update(
                parents.changed_parents, list(PARENT_FIELDS), batch_size=1000
            )
        if parents.changed_links:
            PupilParent.objects.bulk_update(
                parents.changed_links, list(LINK_FIELDS), batch_size=1000
            )
        log.write(batch)
        self.staging.resolve(
            require_pupils=False, require_enrolment=False, check_duplicates=False
        )  # new pupils now have ids
        self.staging.diff()
        self.warnings = marks_kept_against_file(self.staging)
        diff, touched = self.staging.apply(batch_id=batch.pk)
        counts.data["marks"] = diff.as_counts()
        if self.ctf.lost_pupil and self.source is not None:  # destination XXX/XXXX
            lost = sorted({ids[p.upn] for p in self.ctf.pupils if p.upn in ids})
            lost_pupils_report(
                LostPupils(self.source.pk, tuple(lost), self.ctf.written_on, batch.pk)
            )
        rows_done = sum(
            v["added"] + v["updated"]
            for k, v in counts.data.items()
            if isinstance(v, dict) and not k.startswith("_")
        )
        return Outcome(counts=counts.as_dict(), rows_done=rows_done, touched=touched)

    def close(self) -> None:
        if self.staging is not None:
            self.staging.close()
