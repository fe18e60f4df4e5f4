"""Writes on cases (STYLE habit 4): open a case from a submission, move it through its
machine, allocate it, add notes. Each locks the row, checks the machine, writes a timeline
event and an audit row; emails go through the outbox in the same transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from kpas.base.audit import AuditAction, audit_record
from kpas.base.models import User
from kpas.base.outbox import email_enqueue
from referrals.cases.deadlines import case_deadlines_refresh
from referrals.cases.machines import machine_for
from referrals.cases.models import Case, CaseEvent
from referrals.cases.rules import (
    CaseFacts,
    CaseKind,
    CaseRefused,
    closure_proposed,
    transition_check,
)
from referrals.models import Submission
from referrals.pathway_names import PathwayName
from referrals.rules import ClosingOutcome, Status
from referrals.services.triage import submission_close, submission_triage
from schools.models import Pupil, School
from schools.register_facts import register_facts_for

# Which case each pathway opens when the officer accepts it (DOMAIN §7).
PATHWAY_CASE: dict[str, str] = {
    PathwayName.STATUTORY_INTERVENTION: CaseKind.STATUTORY,
    PathwayName.CME: CaseKind.CME,
    PathwayName.EXCLUSION: CaseKind.EXCLUSION,
    PathwayName.PART_TIME: CaseKind.PART_TIME,
    PathwayName.ATTENDANCE_MEETING: CaseKind.FORMAL_MEETING,
    PathwayName.PRU: CaseKind.PRU,
    PathwayName.EXCLUSION_ADVICE: CaseKind.EXCLUSION_ADVICE,
    PathwayName.PROFESSIONAL: CaseKind.PROFESSIONAL,
}

NO_CASE_FOR_PATHWAY = "This kind of submission is not worked as a case."
ALREADY_OPEN = "A case is already open for this submission."
NOT_STAFF = "Allocate to an active member of the authority's staff."
CASE_CLOSED = "This case is closed."


def case_facts(case: Case, *, today: date) -> CaseFacts:
    """The register's most recent 20 school days and the pupil's open part-time timetable."""
    if case.pupil_id is None:
        return CaseFacts(enquiries_done=frozenset(case.data.get("enquiries", {})))
    part_time_open = (
        Case.objects.filter(pupil_id=case.pupil_id, kind=CaseKind.PART_TIME, closed_at=None)
        .exclude(pk=case.pk)
        .exists()
    )
    facts = register_facts_for(Pupil.objects.get(pk=case.pupil_id), today)
    if facts is None:
        return CaseFacts(part_time_open=part_time_open)
    return CaseFacts(
        recent_school_days=len(facts.recent_days),
        recent_unauthorised=facts.recent_unauthorised,
        recent_c2=facts.recent_c2,
        part_time_open=part_time_open,
    )


def _event(case: Case, kind: str, *, actor: User | None, **fields: Any) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        **fields,
    )


@transaction.atomic
def case_open(
    *,
    actor: User,
    submission: Submission,
    today: date,
    officer: User | None = None,
    note: str = "",
) -> Case:
    """Accept a submission into a case of its pathway's kind (idempotent: the one case)."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    existing = Case.objects.filter(submission=locked).first()
    if existing is not None:
        return existing
    kind = PATHWAY_CASE.get(locked.pathway)
    if kind is None or locked.school_id is None:
        raise CaseRefused(NO_CASE_FOR_PATHWAY)
    if locked.status == Status.SUBMITTED:
        locked = submission_triage(actor=actor, submission=locked, note=note)
    return _create(
        actor=actor,
        kind=kind,
        school_id=locked.school_id,  # type: ignore[arg-type]  # a case's pathway names a school
        pupil_id=locked.pupil_id,
        officer=officer or locked.allocated_officer or actor,
        submission=locked,
        today=today,
    )


def _create(
    *,
    actor: User | None,
    kind: str,
    school_id: int,
    pupil_id: int | None,
    officer: User | None,
    submission: Submission | None,
    today: date,
    source: str = "",
) -> Case:
    case = Case.objects.create(
        kind=kind,
        status=machine_for(kind).initial,
        submission=submission,
        school_id=school_id,
        pupil_id=pupil_id,
        officer=officer,
    )
    case_deadlines_refresh(case, today)
    case.save(update_fields=["data", "due_on"])
    if submission is not None:
        source = f" from {submission.reference}"
    else:
        source = f" from {source}" if source else " by the authority"
    _event(
        case,
        CaseEvent.Kind.OPENED,
        actor=actor,
        to_status=case.status,
        message=f"{case.get_kind_display()} opened{source}",
        detail={
            "submission": submission.reference if submission else None,
            "officer": officer.pk if officer else None,
        },
        shared=True,
    )
    audit_record(actor=actor, action=AuditAction.CASE_OPENED, obj=case)
    return case


@transaction.atomic
def case_create(
    *,
    actor: User | None,
    kind: str,
    school: School,
    pupil: Pupil | None,
    officer: User | None,
    today: date,
    source: str = "",
) -> Case:
    """A case the authority opens itself, without a submission (e.g. a CME enquiry after a
    lost-pupil CTF, KSAH §22: `actor` None, `source` naming the file)."""
    if kind not in CaseKind.values:
        raise CaseRefused(NO_CASE_FOR_PATHWAY)
    return _create(
        actor=actor,
        kind=kind,
        school_id=school.pk,
        pupil_id=pupil.pk if pupil else None,
        officer=officer,
        submission=None,
        today=today,
        source=source,
    )


def _normalise(machine_needs: tuple[Any, ...], given: dict[str, Any]) -> dict[str, Any]:
    """Dates to ISO text, text stripped, people as a list of names: what JSON keeps."""
    clean: dict[str, Any] = {}
    for need in machine_needs:
        value = given.get(need.name)
        if isinstance(value, str):
            value = value.strip()
        if need.kind == "date" and isinstance(value, str) and value:
            try:
                value = date.fromisoformat(value)
            except ValueError:
                raise CaseRefused(f"Enter {need.label} as a real date.") from None
        if need.kind == "people" and isinstance(value, str):
            value = [name.strip() for name in value.split(",") if name.strip()]
        clean[need.name] = value
    return clean


@transaction.atomic
def case_transition(
    *, actor: User, case: Case, action: str, given: dict[str, Any], today: date
) -> Case:
    """Move a case by one of its machine's transitions; CaseRefused for any other move, for
    missing data or a failing guard (the message says which)."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    machine = machine_for(locked.kind)
    transition = machine.transition(action)
    clean = _normalise(transition.needs, given)
    transition_check(
        machine,
        state=locked.status,
        action=action,
        facts=case_facts(locked, today=today),
        data=locked.data,
        given=clean,
    )
    stored = {k: v.isoformat() if isinstance(v, date) else v for k, v in clean.items()}
    if action == "record_enquiry":  # the CME checklist: one dated entry per enquiry
        enquiries = dict(locked.data.get("enquiries", {}))
        enquiries[stored["check"]] = {
            "done_on": stored["done_on"],
            "finding": stored.get("finding"),
        }
        locked.data = {**locked.data, "enquiries": enquiries}
    else:
        locked.data = {**locked.data, action: stored, **_flat(action, stored)}
    previous = locked.status
    locked.status = transition.target
    if not machine.is_open(locked.status):
        locked.closed_at = timezone.now()
    case_deadlines_refresh(locked, today)
    locked.save()
    _event(
        locked,
        transition.event,
        actor=actor,
        action=action,
        from_status=previous,
        to_status=locked.status,
        message=transition.label,
        detail=stored,
        shared=True,  # a move's status is the school's to see; notes are internal by default
    )
    audit_record(actor=actor, action=AuditAction.CASE_MOVED, obj=locked, detail={"action": action})
    _follow_on(actor=actor, case=locked, action=action, stored=stored, today=today)
    return locked


def _flat(action: str, stored: dict[str, Any]) -> dict[str, Any]:
    # Values later rules read by name (located_as for the deletion ground).
    return {k: v for k, v in stored.items() if k in {"located_as", "ground", "outcome"}}


def _follow_on(
    *, actor: User, case: Case, action: str, stored: dict[str, Any], today: date
) -> None:
    submission = case.submission
    if submission is None or submission.status not in (Status.SUBMITTED, Status.TRIAGED):
        return
    if action == "advise_deletion" and stored.get("ground") in ("1h", "1i", "3c"):
        # The DFD close outcome the deletion pathway checks (KSAH §22-23), derived from the case.
        submission_close(
            actor=actor,
            submission=submission,
            outcome=f"Enquiries complete; school advised to delete (ground {stored['ground']}).",
            closing_outcome=ClosingOutcome.DELETION_ADVISED,
            deletion_advised_on=date.fromisoformat(stored["confirmed_on"]),
            today=today,
        )
    elif case.closed_at is not None:
        reason = stored.get("reason") or machine_for(case.kind).label(case.status)
        submission_close(actor=actor, submission=submission, outcome=reason, today=today)


@transaction.atomic
def case_allocate(*, actor: User, case: Case, officer: User) -> Case:
    if not officer.is_authority_staff or not officer.is_active:
        raise CaseRefused(NOT_STAFF)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.closed_at is not None:
        raise CaseRefused(CASE_CLOSED)
    locked.officer = officer
    locked.save(update_fields=["officer", "updated_at"])
    event = _event(
        locked,
        CaseEvent.Kind.ALLOCATED,
        actor=actor,
        message=f"Allocated to {officer.full_name}",
        detail={"officer": officer.pk},
    )
    audit_record(
        actor=actor, action=AuditAction.CASE_ALLOCATED, obj=locked, detail={"officer": officer.pk}
    )
    if officer.pk != actor.pk:
        _officer_email(case=locked, officer=officer, event=event)
    return locked


def _officer_email(*, case: Case, officer: User, event: CaseEvent) -> None:
    """An officer given a case is told, once per allocation (keyed by its timeline row)."""
    email_enqueue(
        key=f"case:{case.pk}:allocated:{event.pk}",
        purpose="cases.allocated",
        to=[officer.email],
        subject=f"Case {case.pk} allocated to you: {case.get_kind_display()}",
        body=(
            f"{case.get_kind_display()} case {case.pk} at {case.school.name} has been "
            f"allocated to you.\n\nOpen it from your caseload: /cases/{case.pk}/\n"
        ),
    )


@transaction.atomic
def case_note_add(*, actor: User, case: Case, text: str, shared: bool = False) -> CaseEvent:
    """A note: internal unless the officer chose to share it with the school."""
    text = text.strip()
    if not text:
        raise CaseRefused("Enter the note.")
    event = _event(case, CaseEvent.Kind.NOTE, actor=actor, message=text, shared=shared)
    audit_record(
        actor=actor, action=AuditAction.CASE_NOTE_ADDED, obj=case, detail={"shared": shared}
    )
    return event


def case_closure_proposal(*, case: Case, today: date) -> bool:
    """KSAH §15 iv: proposed (never done) when the register shows no unauthorised absence in
    the most recent 20 school days."""
    if case.kind != CaseKind.STATUTORY or case.closed_at is not None:
        return False
    return closure_proposed(case_facts(case, today=today))


def case_document_event(*, actor: User, case: Case, document: Any) -> CaseEvent:
    """A document asked for from the case goes on its timeline (internal)."""
    return _event(
        case,
        CaseEvent.Kind.DOCUMENT,
        actor=actor,
        message=f"{document.kind.split('.', 1)[1].replace('_', ' ').capitalize()} requested",
        detail={"document": str(document.public_id)},
    )
