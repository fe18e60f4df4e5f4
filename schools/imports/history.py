"""Collecting field changes while a file is planned, and writing them as `RecordChange` rows
in one bulk insert when it is applied (STYLE §8: who changed what, when, from what)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.utils import timezone

from schools.models import Enrolment, Parent, Pupil, PupilParent, RecordChange

Record = RecordChange.Record
RECORDS: dict[type[models.Model], str] = {
    Pupil: Record.PUPIL,
    Parent: Record.PARENT,
    PupilParent: Record.PUPIL_PARENT,
    Enrolment: Record.ENROLMENT,
}


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass
class ChangeLog:
    rows: list[RecordChange] = field(default_factory=list)

    def change(
        self, obj: models.Model, name: str, before: Any, after: Any, *, pupil_id: int | None = None
    ) -> None:
        """A field of a stored record about to change from `before` to `after`."""
        if pupil_id is None:
            pupil_id = obj.pk if isinstance(obj, Pupil) else getattr(obj, "pupil_id", None)
        self.rows.append(
            RecordChange(
                record=RECORDS[type(obj)],
                object_id=obj.pk,
                pupil_id=pupil_id,
                field=name,
                before=as_text(before),
                after=as_text(after),
            )
        )

    def added(self, obj: models.Model, name: str, after: Any, *, pupil_id: int | None) -> None:
        """A record created by the file (its id is known: call after the insert)."""
        self.change(obj, name, None, after, pupil_id=pupil_id)

    def write(self, batch: Any) -> int:
        if not self.rows:
            return 0
        stamp = timezone.now()
        for row in self.rows:
            row.actor_id = getattr(batch, "uploaded_by_id", None)
            row.source_import_id = getattr(batch, "pk", None)
            row.changed_at = stamp
        RecordChange.objects.bulk_create(self.rows, batch_size=1000)
        written = len(self.rows)
        self.rows = []
        return written
