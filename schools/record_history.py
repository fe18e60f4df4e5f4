"""Field-level history of pupils and parents (STYLE §8; ADR 0012): reading it for a pupil's
record, and writing it for the changes a person makes by hand in the admin.

Files write their own history set-based while they are applied (schools/imports/history.py,
penalties/parents_import.py); this covers the other way a record changes. Who may read it:
the authority's staff, on the pupil's record; a parent's history only where the reader may
see the parents' details (the contacts rule of `schools.selectors.pupil_view_for`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from kpas.base.models import User
from schools.imports.history import RECORDS, as_text
from schools.models import Enrolment, Parent, Pupil, PupilParent, RecordChange

HISTORY_SHOWN: Final = 200  # the latest changes on the page; the export has them all
MODELS: Final[dict[str, type[models.Model]]] = {record: model for model, record in RECORDS.items()}
CONTACT_RECORDS: Final = {RecordChange.Record.PARENT, RecordChange.Record.PUPIL_PARENT}


@dataclass(frozen=True)
class HistoryRow:
    changed_at: datetime
    record: str  # "Pupil", "Parent", ...
    field: str  # the field's label
    before: str
    after: str
    by: str  # a person's name, or the file that made the change


def field_label(record: str, name: str) -> str:
    model = MODELS.get(record)
    try:
        field = model._meta.get_field(name) if model else None
    except FieldDoesNotExist:  # a field since removed: its stored name
        field = None
    label = str(getattr(field, "verbose_name", "") or name.replace("_", " "))
    return label[:1].upper() + label[1:]


def pupil_history_for(
    user: User, pupil: Pupil, *, contacts_visible: bool, limit: int = HISTORY_SHOWN
) -> list[HistoryRow] | None:
    """The latest changes to the pupil's record, newest first; None for school staff."""
    if not user.is_authority_staff:
        return None
    changes = RecordChange.objects.filter(pupil=pupil).select_related("actor", "source_import")
    if not contacts_visible:
        changes = changes.exclude(record__in=CONTACT_RECORDS)
    rows = []
    for change in changes.order_by("-changed_at", "-pk")[:limit]:
        if change.source_import is not None:
            by = f"File {change.source_import.filename}"
        else:
            by = change.actor.full_name if change.actor is not None else "The service"
        rows.append(
            HistoryRow(
                changed_at=change.changed_at,
                record=change.get_record_display(),
                field=field_label(change.record, change.field),
                before=change.before,
                after=change.after,
                by=by,
            )
        )
    return rows


def pupil_ids_of(obj: models.Model) -> list[int | None]:
    """The pupils whose record shows a change to `obj`: a parent's shows on each child's."""
    if isinstance(obj, Pupil):
        return [obj.pk]
    if isinstance(obj, Parent):
        linked = PupilParent.objects.filter(parent=obj).values_list("pupil_id", flat=True)
        return list(linked) or [None]
    if isinstance(obj, PupilParent | Enrolment):
        return [obj.pupil_id]
    raise TypeError(f"No history is kept for {type(obj).__name__}.")


def record_changes_write(
    obj: models.Model, before: dict[str, Any], *, actor: User | None
) -> list[RecordChange]:
    """Write one history row per field of `obj` whose value differs from `before` (the values
    read before the change was saved), on every pupil the record belongs to, in one insert."""
    record = RECORDS[type(obj)]
    rows = [
        RecordChange(
            record=record,
            object_id=obj.pk,
            pupil_id=pupil_id,
            field=name,
            before=as_text(old),
            after=as_text(getattr(obj, name)),
            actor=actor,
        )
        for name, old in before.items()
        if as_text(old) != as_text(getattr(obj, name))
        for pupil_id in pupil_ids_of(obj)
    ]
    return RecordChange.objects.bulk_create(rows)
