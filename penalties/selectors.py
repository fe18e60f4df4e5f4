"""Reads for penalty notices: the plain values the decision needs, gathered set-based, and
who may ask. Out of scope is "not found", as everywhere (DESIGN: security)."""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from django.conf import settings

from kpas.base.errors import NotFound
from kpas.base.models import User
from kpas.base.roles import LINKED_OFFICER_ROLES, SCHOOL_ROLES, Role
from penalties.decision import HistoryNotice, PenaltyFacts, RegisterMark, penalty_decision
from penalties.models import PenaltyNotice
from penalties.vocabulary import Case, Delivery, NoticeStatus
from schools.attendance_report import pupil_year_load
from schools.models import Parent, Pupil, School
from schools.selectors import pupil_get_for

# The Courts Team and service admin; officers and school staff for the pupils they can see.
PENALTY_CHECK_ROLES: Final = frozenset(
    {Role.COURTS_TEAM, Role.SERVICE_ADMIN, Role.AREA_MANAGER} | LINKED_OFFICER_ROLES | SCHOOL_ROLES
)
UNKNOWN_PARENT: Final = "No parent with reference {ref!r} is a parent of pupil {upn}."


class UnknownParent(LookupError):
    pass


def penalty_pupil_get_for(user: User, upn: str) -> Pupil:
    """The pupil, if this user may check penalty notices for them; Http404 otherwise."""
    if not (user.is_authenticated and (user.is_superuser or user.role in PENALTY_CHECK_ROLES)):
        raise NotFound("No such pupil.")
    return pupil_get_for(user, upn)


def parent_of(pupil: Pupil, parent_ref: str) -> Parent:
    """The parent with this authority reference, linked to this pupil (EA96 s.576)."""
    ref = parent_ref.strip()
    parent = (
        Parent.objects.filter(parent_ref=ref, child_links__pupil=pupil).first() if ref else None
    )
    if parent is None:
        raise UnknownParent(UNKNOWN_PARENT.format(ref=ref, upn=pupil.upn))
    return parent


def state_funded_school(school: School) -> bool:
    return school.state_funded and school.school_type != School.Type.INDEPENDENT


def penalty_facts(
    *,
    pupil: Pupil,
    parent: Parent,
    case: str,
    on: date,
    delivery: str = Delivery.POST,
    seen_on: date | None = None,
) -> PenaltyFacts:
    """The register (the school the pupil attends on D, from the start of last school year),
    the calendar, and this parent's notices for this child, in a handful of queries.
    NoEnrolment when the pupil was on no school's roll by D."""
    year = pupil_year_load(pupil, on)
    rows = PenaltyNotice.objects.filter(pupil=pupil, parent=parent).values_list(
        "case", "issued_on", "status", "convicted"
    )
    history, improve = [], []
    for notice_case, issued_on, status, convicted in rows:
        if notice_case == Case.NOTICE_TO_IMPROVE:
            if status != NoticeStatus.WITHDRAWN:
                improve.append(issued_on)  # the day it was deemed received
            continue
        history.append(
            HistoryNotice(pupil.upn, parent.parent_ref, notice_case, issued_on, status, convicted)
        )
    return PenaltyFacts(
        upn=pupil.upn,
        parent_ref=parent.parent_ref,
        case=case,
        on=on,
        marks=[RegisterMark(m.date, m.session, m.code) for m in year.marks],
        date_of_birth=pupil.date_of_birth,
        calendar=year.calendar,
        state_funded=state_funded_school(year.school),
        in_care=pupil.child_in_care,
        history=history,
        notices_to_improve=improve,
        delivery=delivery,
        seen_on=seen_on,
        escalation_window=settings.PENALTY_ESCALATION_WINDOW,
    )


def penalty_check(
    *,
    pupil: Pupil,
    parent_ref: str,
    case: str,
    on: date,
    delivery: str = Delivery.POST,
    seen_on: date | None = None,
) -> dict[str, Any]:
    """The JSON object `penalty_check` prints and the API returns (issue 11 item 4).
    UnknownParent / NoEnrolment when there is nothing to decide about."""
    parent = parent_of(pupil, parent_ref)
    facts = penalty_facts(
        pupil=pupil, parent=parent, case=case, on=on, delivery=delivery, seen_on=seen_on
    )
    return penalty_decision(facts).as_dict()
