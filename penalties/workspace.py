"""Reads for the Courts Team's workspace: requests in scope, and the checklist of every issue
condition with its evidence for each parent named (DOMAIN §5; KSAH §15 iv)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from django.db.models import QuerySet

from kpas.base.errors import NotFound
from kpas.base.models import User
from kpas.base.roles import LINKED_OFFICER_ROLES, SCHOOL_ROLES, Role
from penalties.decision import PenaltyDecision, penalty_decision
from penalties.models import PenaltyNotice, PenaltyRequest, RequestParent
from penalties.selectors import penalty_facts
from penalties.vocabulary import Case, Reason
from schools.attendance_report import NoEnrolment
from schools.models import SchoolMembership

COURTS_ROLES: Final = frozenset({Role.COURTS_TEAM, Role.SERVICE_ADMIN})

# The register conditions the rule decides, as the checklist shows them (label, source).
RULE_CONDITIONS: Final[dict[Reason, tuple[str, str]]] = {
    Reason.THRESHOLD: ("10 sessions within 10 school weeks", "DOMAIN §5; KSAH §15 iv"),
    Reason.NO_OUTSTANDING_N: ("No session still N in the window", "DOMAIN §5"),
    Reason.COMPULSORY_SCHOOL_AGE: (
        "Compulsory school age during the threshold sessions",
        "EA96 s.8; KSAH §15 iv",
    ),
    Reason.NO_C2: ("No C2 in the threshold period", "KSAH §15 iv"),
    Reason.NOT_IN_CARE: ("Not in the care of a local authority", "KSAH §15 iv"),
    Reason.STATE_FUNDED: ("A state-funded school", "KSAH §15 iv"),
    Reason.ESCALATION_LIMIT: (
        "Escalation limit not reached (no third notice within 3 years)",
        "KSAH §15 iv; DOMAIN §5",
    ),
    Reason.NOTICE_TO_IMPROVE: (
        "A notice to improve completed with further unauthorised absence",
        "KSAH §15 iv; DOMAIN §5",
    ),
    Reason.EXCLUSION: (
        "Seen in a public place in the first 5 school days of an exclusion",
        "EIA06 s.103; KSAH §19",
    ),
}
# Which rule conditions apply to each case (the exclusion case is outside the framework).
CASE_CONDITIONS: Final[dict[Case, list[Reason]]] = {
    Case.LEAVE: [r for r in Reason if r not in (Reason.NOTICE_TO_IMPROVE, Reason.EXCLUSION)],
    Case.UNAUTHORISED: [r for r in Reason if r != Reason.EXCLUSION],
    Case.EXCLUSION: [Reason.EXCLUSION, Reason.NOT_IN_CARE, Reason.STATE_FUNDED],
}


def is_courts(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in COURTS_ROLES))


def request_list_for(user: User) -> QuerySet[PenaltyRequest]:
    """The Courts Team and service admin see every request; school staff their schools'."""
    rows = PenaltyRequest.objects.select_related("pupil", "school").prefetch_related("parents")
    if is_courts(user):
        return rows
    if user.is_authenticated and user.role in SCHOOL_ROLES:
        schools = SchoolMembership.objects.filter(user=user).values("school_id")
        return rows.filter(school_id__in=schools)
    return rows.none()


def request_get_for(user: User, pk: int) -> PenaltyRequest:
    found = request_list_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("No such request.")
    return found


@dataclass
class Condition:
    label: str
    met: bool
    source: str


@dataclass
class ParentChecklist:
    row: RequestParent
    decision: PenaltyDecision | None
    problem: str = ""  # why there is no decision (no parent record, no enrolment)
    conditions: list[Condition] = field(default_factory=list)
    history: list[PenaltyNotice] = field(default_factory=list)

    @property
    def at_limit(self) -> bool:
        return self.decision is not None and Reason.ESCALATION_LIMIT in self.decision.reasons


def request_checklist(
    request: PenaltyRequest, *, on: date, delivery: str = "post"
) -> list[ParentChecklist]:
    """Per parent named: the rule's decision on D, each condition met or not, and the
    parent's notices for this child (the escalation history)."""
    rows = list(request.parents.select_related("parent", "notice").order_by("position"))
    parent_ids = [r.parent_id for r in rows if r.parent_id]
    history: dict[int, list[PenaltyNotice]] = {}
    for notice in PenaltyNotice.objects.filter(pupil=request.pupil, parent_id__in=parent_ids):
        history.setdefault(notice.parent_id, []).append(notice)
    checklists = []
    for row in rows:
        if row.parent is None or not row.parent.parent_ref:
            checklists.append(ParentChecklist(row, None, problem="No matched parent record."))
            continue
        try:
            facts = penalty_facts(
                pupil=request.pupil,
                parent=row.parent,
                case=request.case,
                on=on,
                delivery=delivery,
                seen_on=request.seen_on,
            )
        except NoEnrolment:
            checklists.append(ParentChecklist(row, None, problem="The pupil is on no roll."))
            continue
        decision = penalty_decision(facts)
        conditions = [
            Condition(RULE_CONDITIONS[r][0], r not in decision.reasons, RULE_CONDITIONS[r][1])
            for r in CASE_CONDITIONS[Case(request.case)]
        ]
        checklists.append(
            ParentChecklist(row, decision, "", conditions, history.get(row.parent.pk, []))
        )
    return checklists


def stated_conditions(request: PenaltyRequest) -> list[dict[str, Any]]:
    """What the school answered and the front door checked when it was sent (headteacher's
    authorisation, safeguarding, target, support, Equality Act...)."""
    return [c for c in request.conditions if isinstance(c, dict)]


# --- issued notices (issue 11 item 10: scope) ---------------------------------------------------
def notice_list_for(user: User) -> QuerySet[PenaltyNotice]:
    """Notices this service issued: every one for the Courts Team and service admin; those
    at the schools an officer (or a school's staff) can see; nothing for anyone else."""
    from schools.selectors import school_list_for

    rows = PenaltyNotice.objects.filter(source=PenaltyNotice.Source.ISSUED).select_related(
        "issue", "issue__school", "parent", "pupil"
    )
    if is_courts(user):
        return rows
    if not user.is_authenticated or user.role not in (LINKED_OFFICER_ROLES | SCHOOL_ROLES):
        return rows.none()
    return rows.filter(issue__school__in=school_list_for(user))


def notice_get_for(user: User, reference: str) -> PenaltyNotice:
    found = notice_list_for(user).filter(reference=reference).first()
    if found is None:
        raise NotFound("No such notice.")
    return found
