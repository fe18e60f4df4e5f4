"""Everything the service holds about one pupil, for a subject-access request (UK GDPR
Art. 15; issue 15 item 3; docs/security.md).

`subject_access_export(upn)` returns one JSON-ready document: the pupil, and a section per
model that holds data about them (`SECTIONS`), each row every stored column but raw bytes,
then the documents produced about them and every audit event about any of those rows.
`tests/kpas/test_subject_access.py` walks the app registry for every model with a relation
path to `Pupil` and fails if one is in neither `SECTIONS` nor `LEFT_OUT` (which says why).

The service administrator produces it (`manage.py subject_access_export UPN` or the page
`subject-access/`); each export is itself audited. It lives on the top floor (ADR 0008): it
reads every app's models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_
from typing import Any, Final

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone

from kpas.base.models import AuditEvent, Document
from schools.models import Enrolment, Mark, MarkChange, Pupil, PupilYearRegister

FORMAT: Final = "kpas-subject-access/1"


@dataclass(frozen=True)
class Section:
    name: str
    model: str  # app_label.ModelName
    lookups: tuple[str, ...]  # paths from the model to the pupil, any of which links a row
    omit: tuple[str, ...] = ()  # columns left out, each with its reason at the section
    note: str = ""


SECTIONS: Final[tuple[Section, ...]] = (
    Section("pupil", "schools.Pupil", ("pk",)),
    Section("enrolments", "schools.Enrolment", ("pupil",)),
    Section("parents", "schools.Parent", ("children",)),
    Section("parent_links", "schools.PupilParent", ("pupil",)),
    Section(
        "attendance_by_year",
        "schools.PupilYearRegister",
        ("pupil",),
        omit=("codes",),
        note="Each year's totals; the marks themselves are under 'marks' (codes is their "
        "compact copy).",
    ),
    Section("marks", "schools.Mark", ("pupil",), note="Every register mark, AM and PM."),
    Section("mark_corrections", "schools.MarkChange", ("pupil",)),
    Section("alerts", "schools.Alert", ("pupil",)),
    Section("record_history", "schools.RecordChange", ("pupil",)),
    Section("submissions", "referrals.Submission", ("pupil",)),
    Section("submission_events", "referrals.SubmissionEvent", ("submission__pupil",)),
    Section(
        "evidence",
        "referrals.Evidence",
        ("submission__pupil",),
        note="Each file is listed by its stored name; the files themselves are not in this "
        "export: download each from its submission's page.",
    ),
    Section("cases", "cases.Case", ("pupil", "submission__pupil")),
    Section("case_events", "cases.CaseEvent", ("case__pupil", "case__submission__pupil")),
    Section("case_reminders", "cases.CaseReminder", ("case__pupil", "case__submission__pupil")),
    Section("penalty_requests", "penalties.PenaltyRequest", ("pupil",)),
    Section("penalty_request_parents", "penalties.RequestParent", ("request__pupil",)),
    Section("penalty_notices", "penalties.PenaltyNotice", ("pupil",)),
    Section("penalty_notice_issues", "penalties.NoticeIssue", ("notice__pupil",)),
    Section("penalty_notice_events", "penalties.NoticeEvent", ("notice__pupil",)),
    Section("penalty_notice_payments", "penalties.NoticePayment", ("notice__pupil",)),
    Section("notices_to_improve", "penalties.NoticeToImprove", ("notice__pupil",)),
    Section("statutory_returns", "returns.ReturnEntry", ("pupil",)),
    Section(
        "off_rolling_signals",
        "returns.OffRollingSignal",
        ("pupil",),
        note="Signs the authority checks that a pupil may have been taken off a school's roll "
        "without a lawful ground, with any decision to dismiss one.",
    ),
    Section("joint_plans", "tsm.JointPlan", ("pupil",)),
)

# Models with a path to a pupil that are deliberately not exported, each with its reason.
LEFT_OUT: Final[dict[str, str]] = {
    # (none today: every model linked to a pupil is exported)
}


class NoSuchPupil(LookupError):
    pass


def columns(model: type[models.Model], omit: tuple[str, ...]) -> list[str]:
    """Every stored column but raw bytes (a register's compact copy, a PDF's content)."""
    return [
        field.attname
        for field in model._meta.concrete_fields
        if field.column is not None
        and field.name not in omit
        and not isinstance(field, models.BinaryField)
    ]


def section_rows(section: Section, pupil: Pupil) -> list[dict[str, Any]]:
    model = apps.get_model(section.model)
    if model is Mark:
        # The register's key leads with the school: one index range per school the pupil has
        # a record at, never a scan of every school's marks.
        schools = (
            set(Enrolment.objects.filter(pupil=pupil).values_list("school_id", flat=True))
            | set(PupilYearRegister.objects.filter(pupil=pupil).values_list("school_id", flat=True))
            | set(MarkChange.objects.filter(pupil=pupil).values_list("school_id", flat=True))
        )
        rows = Mark.objects.filter(school_id__in=schools, pupil=pupil).order_by(
            "school_id", "date", "session"
        )
        return list(rows.values(*columns(Mark, section.omit)))
    match = reduce(or_, (Q(**{lookup: pupil.pk}) for lookup in section.lookups))
    rows = model._default_manager.filter(match).distinct().order_by("pk")
    return list(rows.values(*columns(model, section.omit)))


def _documents(pupil: Pupil, held: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Documents produced about the pupil: certificates name the pupil, letters their notices,
    case documents their cases."""
    notices = {row["id"] for row in held["penalty_notices"]}
    ids = {
        "pupil_id": {pupil.pk},
        "notice_id": notices,
        "case_id": {row["id"] for row in held["cases"]},
        "improvement_id": {row["id"] for row in held["notices_to_improve"]},
    }
    match = Q(params__upn=pupil.upn) | Q(params__has_key="notice_ids")
    for key, values in ids.items():
        if values:
            match |= reduce(or_, (Q(**{f"params__{key}": value}) for value in values))
    wanted = columns(Document, ("content", "key"))
    found = []
    for row in Document.objects.filter(match).order_by("requested_at").values(*wanted):
        listed = row["params"].get("notice_ids")
        if (
            listed is not None
            and not notices & set(listed)
            and row["params"].get("upn") != pupil.upn
        ):
            continue  # a day's batch of letters about other pupils
        found.append(row)
    return found


def _audit_events(
    pupil: Pupil, held: dict[str, list[dict[str, Any]]], documents: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Every audit event about the pupil or any row held about them, and every list of
    pupils that named them."""
    match = Q(detail__icontains=pupil.upn)
    for section in SECTIONS:
        model = apps.get_model(section.model)
        ids = [str(row["id"]) for row in held[section.name] if "id" in row]
        if ids:
            match |= Q(object_type=model._meta.label_lower, object_id__in=ids)
    if documents:
        match |= Q(object_type="kpas.document", object_id__in=[str(d["id"]) for d in documents])
    wanted = columns(AuditEvent, ())
    events = list(AuditEvent.objects.filter(match).order_by("occurred_at", "pk").values(*wanted))
    for event in events:
        listed = event["detail"].get("upns") if isinstance(event["detail"], dict) else None
        if isinstance(listed, list):
            # A list of pupils viewed: the other pupils it named are not this pupil's data.
            event["detail"] = {**event["detail"], "upns": [u for u in listed if u == pupil.upn]}
    return events


def subject_access_export(upn: str, *, now: datetime | None = None) -> dict[str, Any]:
    """Everything held about the pupil with this UPN, as one JSON-ready document."""
    pupil = Pupil.objects.filter(upn=upn.strip().upper()).first()
    if pupil is None:
        raise NoSuchPupil(f"No pupil with UPN {upn.strip().upper()} is held.")
    held = {section.name: section_rows(section, pupil) for section in SECTIONS}
    documents = _documents(pupil, held)
    return {
        "format": FORMAT,
        "upn": pupil.upn,
        "produced_at": (now or timezone.now()).isoformat(),
        "sections": {
            section.name: {
                "model": section.model,
                "note": section.note,
                "omitted_columns": list(section.omit),
                "rows": held[section.name],
            }
            for section in SECTIONS
        },
        "documents": documents,
        "audit_events": _audit_events(pupil, held, documents),
    }
