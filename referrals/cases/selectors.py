"""Reads of cases, scoped to the user (STYLE habit 5). Officers see cases for the schools
they are linked to (and what is allocated to them), area managers their area, central teams
the whole authority, schools their own cases. Out of scope is "not found"."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Q, QuerySet

from kpas.base.errors import NotFound
from kpas.base.models import User
from kpas.base.roles import COUNTYWIDE_ROLES, SCHOOL_ROLES, Role
from referrals.cases.models import Case, CaseEvent
from referrals.models import Submission
from schools.selectors import school_list_for


def case_list_for(user: User) -> QuerySet[Case]:
    cases = Case.objects.select_related("school", "pupil", "officer", "submission")
    if not user.is_authenticated or not user.is_active:
        return cases.none()
    if user.is_superuser or user.role in COUNTYWIDE_ROLES:
        return cases
    scope = Q(school__in=school_list_for(user))
    if user.role not in SCHOOL_ROLES:
        scope |= Q(officer=user)
    return cases.filter(scope)


def case_get_for(user: User, pk: int) -> Case:
    try:
        return case_list_for(user).get(pk=pk)
    except (Case.DoesNotExist, ValueError):
        raise NotFound("No such case.") from None


def case_of_submission(submission: Submission) -> Case | None:
    """The case a submission was accepted into, if any. The caller has already found the
    submission in the user's scope (referrals.selectors); its case goes with it."""
    return Case.objects.filter(submission=submission).first()


def open_cases_by_submission(submission_ids: Iterable[int]) -> dict[int, Case]:
    """The open case of each of these submissions, by submission id (one query)."""
    return {
        case.submission_id: case
        for case in Case.objects.filter(submission__in=list(submission_ids), closed_at=None)
        if case.submission_id is not None
    }


def case_workable(user: User, case: Case) -> bool:
    """Authority staff work the cases they can see; schools only read them."""
    return user.is_authority_staff or user.is_superuser


def timeline_for(user: User, case: Case) -> QuerySet[CaseEvent]:
    """Every event for the authority; for the school only what is shared with it."""
    events = case.events.select_related("actor")
    if user.role in SCHOOL_ROLES:
        return events.filter(shared=True)
    return events


def caseload_for(
    user: User,
    *,
    officer: User | None = None,
    kind: str = "",
    status: str = "",
    search: str = "",
    due: str = "",
    today: date,
) -> QuerySet[Case]:
    """'My caseload' (or one officer's, for an area manager): open cases by default."""
    cases = case_list_for(user).filter(closed_at=None)
    if officer is not None:
        cases = cases.filter(officer=officer)
    if kind:
        cases = cases.filter(kind=kind)
    if status:
        cases = cases.filter(status=status)
    if due == "overdue":
        cases = cases.filter(due_on__lt=today)
    elif due == "due":
        cases = cases.filter(due_on__gte=today)
    if search:
        text = search.strip()
        cases = cases.filter(
            Q(pupil__surname__icontains=text)
            | Q(pupil__forename__icontains=text)
            | Q(pupil__upn__iexact=text)
            | Q(submission__reference__iexact=text)
            | Q(school__name__icontains=text)
        )
    return cases.order_by("due_on", "-opened_at")


def balance_for(user: User) -> QuerySet[User]:
    """An area manager's officers with their open case counts (the balance of work)."""
    if user.role != Role.AREA_MANAGER or user.area_id is None:
        return User.objects.none()
    return (
        User.objects.filter(
            is_active=True,
            role__in=[Role.ATTENDANCE_OFFICER, Role.EXCLUSION_ADVISER],
        )
        .filter(
            Q(schools_as_attendance_officer__district__area_id=user.area_id)
            | Q(schools_as_exclusion_adviser__district__area_id=user.area_id)
        )
        .annotate(open_cases=Count("cases", filter=Q(cases__closed_at=None), distinct=True))
        .distinct()
        .order_by("full_name")
    )


def officer_choices_for(case: Case) -> QuerySet[User]:
    """Who a case can be given to: the officers linked to schools in the case's area, the
    area's manager and the central team for the kind (CME, Courts)."""
    area = case.school.district.area_id if case.school.district_id else None
    query = Q(pk=case.school.attendance_officer_id or 0) | Q(
        pk=case.school.exclusion_adviser_id or 0
    )
    if area is not None:
        query |= (
            Q(schools_as_attendance_officer__district__area_id=area)
            | Q(schools_as_exclusion_adviser__district__area_id=area)
            | Q(role=Role.AREA_MANAGER, area_id=area)
        )
    query |= Q(role__in=[Role.CME_TEAM] if case.kind == "cme" else [Role.COURTS_TEAM])
    return (
        User.objects.filter(query, is_active=True)
        .exclude(role__in=SCHOOL_ROLES)
        .distinct()
        .order_by("full_name")
    )
