"""Planning and writing pupils and their enrolments, shared by the pupils CSV and the CTF.

A plan reads what exists in a few set-based queries (by UPN), works out what to add and
what to change, and writes it with bulk operations. Only the fields a file gives are set.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from schools.imports.common import Counts, RowError
from schools.models import Enrolment, Pupil

CHUNK = 5000  # keeps IN (...) lists inside SQLite's variable limit
ENROLMENT_ENDED = (
    "start_date: UPN {upn}'s enrolment at this school that started on {start} ended on {end}; "
    "give the date the pupil joined again in start_date"
)


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


@dataclass
class PupilPlan:
    pupils: list[PupilRecord]
    enrolments: list[EnrolmentRecord]
    errors: list[RowError] = field(default_factory=list)
    new_pupils: list[Pupil] = field(default_factory=list)
    changed_pupils: list[Pupil] = field(default_factory=list)
    changed_fields: set[str] = field(default_factory=set)
    unchanged_pupils: int = 0
    new_enrolments: list[tuple[EnrolmentRecord, Enrolment]] = field(default_factory=list)
    changed_enrolments: list[Enrolment] = field(default_factory=list)
    unchanged_enrolments: int = 0
    existing_ids: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._plan_pupils()
        self._plan_enrolments()

    def _plan_pupils(self) -> None:
        upns = sorted({r.upn for r in self.pupils} | {e.upn for e in self.enrolments})
        existing: dict[str, Pupil] = {}
        for part in chunks(upns):
            existing.update((p.upn, p) for p in Pupil.objects.filter(upn__in=part))
        self.existing_ids = {upn: p.pk for upn, p in existing.items()}
        for record in self.pupils:
            current = existing.get(record.upn)
            if current is None:
                self.new_pupils.append(Pupil(upn=record.upn, **record.values))
                continue
            diff = {k: v for k, v in record.values.items() if getattr(current, k) != v}
            if diff:
                for key, value in diff.items():
                    setattr(current, key, value)
                self.changed_fields.update(diff)
                self.changed_pupils.append(current)
            else:
                self.unchanged_pupils += 1

    def _plan_enrolments(self) -> None:
        ids = [i for i in (self.existing_ids.get(e.upn) for e in self.enrolments) if i]
        by_key: dict[tuple[int, int], list[Enrolment]] = defaultdict(list)
        for part in chunks(sorted(set(ids))):
            for enrolment in Enrolment.objects.filter(pupil_id__in=part):
                by_key[(enrolment.pupil_id, enrolment.school_id)].append(enrolment)
        for record in self.enrolments:
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
            else:
                self.unchanged_enrolments += 1

    def count_into(self, counts: Counts) -> None:
        counts.add("pupils", "added", len(self.new_pupils))
        counts.add("pupils", "updated", len(self.changed_pupils))
        counts.add("pupils", "unchanged", self.unchanged_pupils)
        counts.add("enrolments", "added", len(self.new_enrolments))
        counts.add("enrolments", "updated", len(self.changed_enrolments))
        counts.add("enrolments", "unchanged", self.unchanged_enrolments)

    def apply(self) -> dict[str, int]:
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
        if self.changed_enrolments:
            Enrolment.objects.bulk_update(
                self.changed_enrolments,
                ["year_group", "registration", "end_date"],
                batch_size=1000,
            )
        return ids
