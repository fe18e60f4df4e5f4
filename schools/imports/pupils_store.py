"""Planning and writing pupils and their enrolments, shared by the pupils CSV and the CTF.

A plan reads what exists in a few set-based queries (by UPN), works out what to add and
what to change, and writes it with bulk operations. Only the fields a file gives are set.

Who may change whom (issue 10 items 0 and 4):
- A school's own upload (`own_school_id`) may create new pupils and update its own pupils
  (those with an open enrolment there); a pupil registered at another school is refused,
  with a message that does not say where — unless the file ends that registration with the
  leaving date a CTF's school history gives for it (`releases`).
- The authority's import may move a pupil, but never silently opens a second single
  registration: the row is refused naming the other one, unless the file gives the date
  the earlier registration ended (the pupils CSV's `previous_school_leaving_date`).
- Changes to a pupil's identity and enrolments ended by a file keep their history
  (`RecordChange`, written in one bulk insert).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from schools.imports.common import Counts, RowError
from schools.imports.history import ChangeLog
from schools.models import Enrolment, Pupil

CHUNK = 5000  # keeps IN (...) lists inside SQLite's variable limit
ENROLMENT_ENDED = (
    "start_date: UPN {upn}'s enrolment at this school that started on {start} ended on {end}; "
    "give the date the pupil joined again in start_date"
)
NOT_YOUR_PUPIL = (
    "upn: UPN {upn} is not on your school's roll and cannot be added from this file; a pupil "
    "who joins you from another school comes with the Common Transfer File from that school, "
    "or is registered by the authority"
)
OTHER_REGISTRATION = (
    "upn: UPN {upn} has an open single registration at URN {urn} from {start}; give the date "
    "it ended in previous_school_leaving_date, or register the pupil as dual"
)
BAD_LEAVING_DATE = (
    "previous_school_leaving_date: {leaving} must fall on or after {start}, when the earlier "
    "registration began, and before {joining}, when the pupil joins"
)
IDENTITY_FIELDS = ("forename", "surname", "date_of_birth")  # their history is kept


@dataclass
class PupilRecord:
    line: int
    upn: str
    values: dict[str, Any]  # model field -> value, only the fields the file gives


@dataclass
class EnrolmentRecord:
    line: int
    upn: str
    school_id: int
    start_date: date
    end_date: date | None = None
    year_group: str | None = None
    registration: str | None = None
    # True for the pupils CSV: a closed enrolment with the same start date is an error
    # (the file says the pupil is on roll); a CTF may legitimately describe a closed one.
    must_be_open: bool = False


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _open_on(enrolment: Enrolment, day: date) -> bool:
    return enrolment.end_date is None or enrolment.end_date >= day


@dataclass
class PupilPlan:
    pupils: list[PupilRecord]
    enrolments: list[EnrolmentRecord]
    own_school_id: int | None = None  # a school's own upload: only its own pupils
    today: date = field(default_factory=timezone.localdate)
    # UPN -> school id (None: any other school) -> the date the file says the pupil left it
    releases: dict[str, dict[int | None, date]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    new_pupils: list[Pupil] = field(default_factory=list)
    changed_pupils: list[Pupil] = field(default_factory=list)
    changed_fields: set[str] = field(default_factory=set)
    unchanged_pupils: int = 0
    new_enrolments: list[tuple[EnrolmentRecord, Enrolment]] = field(default_factory=list)
    changed_enrolments: list[Enrolment] = field(default_factory=list)
    unchanged_enrolments: int = 0
    existing_ids: dict[str, int] = field(default_factory=dict)
    refused: set[str] = field(default_factory=set)  # UPNs this file may not change
    ended: dict[int, Enrolment] = field(default_factory=dict)  # other registrations ended
    history: ChangeLog = field(default_factory=ChangeLog)

    def __post_init__(self) -> None:
        upns = sorted({r.upn for r in self.pupils} | {e.upn for e in self.enrolments})
        existing: dict[str, Pupil] = {}
        for part in chunks(upns):
            existing.update((p.upn, p) for p in Pupil.objects.filter(upn__in=part))
        self.existing_ids = {upn: p.pk for upn, p in existing.items()}
        self.enrolments_of: dict[int, list[Enrolment]] = defaultdict(list)
        for part in chunks(sorted(self.existing_ids.values())):
            for enrolment in Enrolment.objects.filter(pupil_id__in=part).select_related("school"):
                self.enrolments_of[enrolment.pupil_id].append(enrolment)
        if self.own_school_id is not None:
            self._refuse_other_schools_pupils()
        self._plan_pupils(existing)
        self._plan_enrolments()

    def _end(self, enrolment: Enrolment, leaving: date, line: int, joining: date | None) -> bool:
        """End another registration on the date the file gives, if that date makes sense."""
        if leaving < enrolment.start_date or (joining is not None and leaving >= joining):
            self.errors.append(
                RowError(
                    line,
                    BAD_LEAVING_DATE.format(
                        leaving=leaving, start=enrolment.start_date, joining=joining
                    ),
                )
            )
            return False
        if enrolment.end_date is None or enrolment.end_date > leaving:
            self.history.change(enrolment, "end_date", enrolment.end_date, leaving)
            enrolment.end_date = leaving
            self.ended[enrolment.pk] = enrolment
        return True

    def _refuse_other_schools_pupils(self) -> None:
        """A school's own upload: a pupil registered at another school is refused, unless
        the file (a CTF's school history) gives the date they left each such school."""
        lines = {r.upn: r.line for r in self.pupils} | {e.upn: e.line for e in self.enrolments}
        for upn, line in sorted(lines.items(), key=lambda item: item[1]):
            pupil_id = self.existing_ids.get(upn)
            if pupil_id is None:
                continue  # a new pupil: the school may add it
            enrolments = self.enrolments_of[pupil_id]
            if any(
                e.school_id == self.own_school_id and _open_on(e, self.today) for e in enrolments
            ):
                continue  # the school's own pupil
            elsewhere = [
                e
                for e in enrolments
                if e.school_id != self.own_school_id and _open_on(e, self.today)
            ]
            released = self.releases.get(upn, {})
            if all(e.school_id in released for e in elsewhere):
                if all(self._end(e, released[e.school_id], line, None) for e in elsewhere):
                    continue
            else:
                self.errors.append(RowError(line, NOT_YOUR_PUPIL.format(upn=upn)))
            self.refused.add(upn)

    def _plan_pupils(self, existing: dict[str, Pupil]) -> None:
        for record in self.pupils:
            if record.upn in self.refused:
                continue
            current = existing.get(record.upn)
            if current is None:
                self.new_pupils.append(Pupil(upn=record.upn, **record.values))
                continue
            diff = {k: v for k, v in record.values.items() if getattr(current, k) != v}
            if diff:
                for key, value in diff.items():
                    if key in IDENTITY_FIELDS:
                        self.history.change(current, key, getattr(current, key), value)
                    setattr(current, key, value)
                self.changed_fields.update(diff)
                self.changed_pupils.append(current)
            else:
                self.unchanged_pupils += 1

    def _second_single_registration(self, record: EnrolmentRecord, pupil_id: int) -> bool:
        """The authority's import: a new open single registration while the pupil has an
        open single registration elsewhere is refused naming it, unless the file says when
        the earlier one ended. True if the row is refused."""
        if record.end_date is not None or (
            record.registration not in (None, Enrolment.Registration.SINGLE)
        ):
            return False
        others = [
            e
            for e in self.enrolments_of[pupil_id]
            if e.school_id != record.school_id
            and e.registration == Enrolment.Registration.SINGLE
            and _open_on(e, record.start_date)
        ]
        released = self.releases.get(record.upn, {})
        for other in others:
            leaving = released.get(other.school_id) or released.get(None)
            if leaving is None:
                self.errors.append(
                    RowError(
                        record.line,
                        OTHER_REGISTRATION.format(
                            upn=record.upn, urn=other.school.urn, start=other.start_date
                        ),
                    )
                )
                return True
            if not self._end(other, leaving, record.line, record.start_date):
                return True
        return False

    def _plan_enrolments(self) -> None:
        by_key: dict[tuple[int, int], list[Enrolment]] = defaultdict(list)
        for enrolments in self.enrolments_of.values():
            for enrolment in enrolments:
                by_key[(enrolment.pupil_id, enrolment.school_id)].append(enrolment)
        for record in self.enrolments:
            if record.upn in self.refused:
                continue
            pupil_id = self.existing_ids.get(record.upn)
            current = by_key.get((pupil_id, record.school_id), []) if pupil_id else []
            same_start = [e for e in current if e.start_date == record.start_date]
            still_open = [e for e in current if e.end_date is None]
            if record.must_be_open and not still_open and same_start:
                ended = same_start[0]
                self.errors.append(
                    RowError(
                        record.line,
                        ENROLMENT_ENDED.format(
                            upn=record.upn, start=ended.start_date, end=ended.end_date
                        ),
                    )
                )
                continue
            target = same_start[0] if same_start else (still_open[0] if still_open else None)
            if target is None:
                if (
                    self.own_school_id is None
                    and pupil_id
                    and self._second_single_registration(record, pupil_id)
                ):
                    continue
                self.new_enrolments.append(
                    (
                        record,
                        Enrolment(
                            school_id=record.school_id,
                            start_date=record.start_date,
                            end_date=record.end_date,
                            year_group=record.year_group or "",
                            registration=record.registration or Enrolment.Registration.SINGLE,
                        ),
                    )
                )
                continue
            changed = False
            for name in ("year_group", "registration"):
                value = getattr(record, name)
                if value is not None and getattr(target, name) != value:
                    setattr(target, name, value)
                    changed = True
            if (
                record.end_date is not None
                and target.end_date is None
                and record.end_date >= target.start_date
            ):
                target.end_date = record.end_date
                changed = True
            if changed:
                self.changed_enrolments.append(target)
            elif target.pk not in self.ended:
                self.unchanged_enrolments += 1

    def count_into(self, counts: Counts) -> None:
        counts.add("pupils", "added", len(self.new_pupils))
        counts.add("pupils", "updated", len(self.changed_pupils))
        counts.add("pupils", "unchanged", self.unchanged_pupils)
        counts.add("enrolments", "added", len(self.new_enrolments))
        ended = [pk for pk in self.ended if pk not in {e.pk for e in self.changed_enrolments}]
        counts.add("enrolments", "updated", len(self.changed_enrolments) + len(ended))
        counts.add("enrolments", "unchanged", self.unchanged_enrolments)

    def apply(self, batch: Any) -> dict[str, int]:
        """Write the plan; returns every UPN in the plan mapped to its pupil id."""
        created = Pupil.objects.bulk_create(self.new_pupils, batch_size=1000)
        ids = dict(self.existing_ids)
        if any(p.pk is None for p in created):  # backends that return no ids
            new_upns = [p.upn for p in created]
            for part in chunks(new_upns):
                ids.update(Pupil.objects.filter(upn__in=part).values_list("upn", "id"))
        else:
            ids.update((p.upn, p.pk) for p in created)
        if self.changed_pupils:
            stamp = timezone.now()
            for pupil in self.changed_pupils:
                pupil.updated_at = stamp  # bulk_update does not apply auto_now
            fields = sorted(self.changed_fields | {"updated_at"})
            Pupil.objects.bulk_update(self.changed_pupils, fields, batch_size=1000)
        new = []
        for record, enrolment in self.new_enrolments:
            enrolment.pupil_id = ids[record.upn]
            new.append(enrolment)
        Enrolment.objects.bulk_create(new, batch_size=1000)
        changed = {e.pk: e for e in self.changed_enrolments} | self.ended
        if changed:
            Enrolment.objects.bulk_update(
                list(changed.values()),
                ["year_group", "registration", "end_date"],
                batch_size=1000,
            )
        self.history.write(batch)
        return ids
