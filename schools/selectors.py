"""Reads of schools and pupils, always scoped to what the user may see (DESIGN: security).

Every view and API endpoint that reaches a school or pupil goes through these. A record
outside the user's scope is "not found", exactly like a missing one, so existence never leaks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from kpas.base.errors import NotFound
from kpas.base.models import User
from kpas.base.roles import COUNTYWIDE_ROLES, SCHOOL_ROLES, Role
from schools.models import Enrolment, Pupil, School, SchoolMembership


def school_list_for(user: User) -> QuerySet[School]:
    """The schools this user's role covers."""
    schools = School.objects.select_related("district__area")
    if not user.is_authenticated or not user.is_active:
        return schools.none()
    if user.is_superuser or user.role in COUNTYWIDE_ROLES:
        return schools
    if user.role in SCHOOL_ROLES:
        member = SchoolMembership.objects.filter(user=user, school=OuterRef("pk"))
        return schools.filter(Exists(member))
    if user.role == Role.ATTENDANCE_OFFICER:
        return schools.filter(attendance_officer=user)
    if user.role == Role.EXCLUSION_ADVISER:
        return schools.filter(exclusion_adviser=user)
    if user.role == Role.AREA_MANAGER and user.area_id is not None:
        return schools.filter(district__area_id=user.area_id)
    return schools.none()


def school_get_for(user: User, urn: str, *, with_officer: bool = False) -> School:
    """`with_officer`: the linked attendance officer comes in the same query (the school
    dashboard names them)."""
    schools = school_list_for(user)
    if with_officer:
        schools = schools.select_related("attendance_officer")
    try:
        return schools.get(urn=urn)
    except School.DoesNotExist:
        raise NotFound("No such school.") from None


def pupil_list_for(user: User, *, school: School | None = None) -> QuerySet[Pupil]:
    """Pupils with an enrolment (current or past) at a school the user may see."""
    schools = school_list_for(user)
    if school is not None:
        schools = schools.filter(pk=school.pk)
    enrolled = Enrolment.objects.filter(pupil=OuterRef("pk"), school__in=schools)
    return Pupil.objects.filter(Exists(enrolled))


def pupil_get_for(user: User, upn: str) -> Pupil:
    try:
        return pupil_list_for(user).get(upn=upn.strip().upper())
    except Pupil.DoesNotExist:
        raise NotFound("No such pupil.") from None


def enrolment_list_for(user: User, pupil: Pupil) -> QuerySet[Enrolment]:
    """The pupil's enrolments at schools the user may see, newest first."""
    return (
        Enrolment.objects.filter(pupil=pupil, school__in=school_list_for(user))
        .select_related("school")
        .order_by("-start_date", "-pk")
    )


@dataclass(frozen=True, eq=False)
class PupilView:
    """What one user may see of one pupil (issue 10 item 1; DESIGN: security).

    `enrolments` are only those at schools the user may see. `contacts_visible` is false
    when the pupil has moved on beyond the user's scope: none of the user's enrolments is
    open, and the pupil has a later enrolment at a school the user may not see. Then the
    current address and contacts of the pupil and the parents are withheld (a family may
    move to get away from someone); the record is shown as it was at the user's schools.
    """

    pupil: Pupil
    enrolments: list[Enrolment]
    contacts_visible: bool


def pupil_view_for(user: User, pupil: Pupil, *, today: date | None = None) -> PupilView:
    """The user's view of a pupil they reached through `pupil_list_for`/`pupil_get_for`."""
    today = today or timezone.localdate()
    visible = list(enrolment_list_for(user, pupil))
    is_open = any(e.end_date is None or e.end_date >= today for e in visible)
    moved_on = False
    if not is_open:
        latest_start = max((e.start_date for e in visible), default=date.min)
        moved_on = (
            Enrolment.objects.filter(pupil=pupil, start_date__gte=latest_start)
            .exclude(school__in=school_list_for(user))
            .exists()
        )
    return PupilView(pupil, visible, contacts_visible=not moved_on)


def current_enrolment_filter(on_date) -> Q:  # type: ignore[no-untyped-def]
    """Enrolments open on a date."""
    return Q(start_date__lte=on_date) & (Q(end_date__isnull=True) | Q(end_date__gte=on_date))
