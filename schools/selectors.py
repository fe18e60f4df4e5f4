"""Reads of schools and pupils, always scoped to what the user may see (DESIGN: security).

Every view and API endpoint that reaches a school or pupil goes through these. A record
outside the user's scope is "not found", exactly like a missing one, so existence never leaks.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

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


def school_get_for(user: User, urn: str) -> School:
    try:
        return school_list_for(user).get(urn=urn)
    except School.DoesNotExist:
        raise Http404("No such school.") from None


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
        raise Http404("No such pupil.") from None


def current_enrolment_filter(on_date) -> Q:  # type: ignore[no-untyped-def]
    """Enrolments open on a date."""
    return Q(start_date__lte=on_date) & (Q(end_date__isnull=True) | Q(end_date__gte=on_date))
