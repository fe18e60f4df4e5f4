"""Reads of Targeting Support Meetings, scoped to the schools the user may see: a meeting
at any other school is "not found" (DESIGN: security)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from kpas.base.errors import NotFound
from kpas.base.models import User
from kpas.tsm.models import Meeting, TsmPlan
from schools.calendar import academic_year_of
from schools.selectors import school_list_for


def meeting_list_for(user: User, *, today: date) -> QuerySet[Meeting]:
    """This school year's meetings still to be held or agreed, and those held, in order."""
    return (
        Meeting.objects.filter(
            school__in=school_list_for(user), plan__academic_year=academic_year_of(today)
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("school", "officer", "plan")
        .order_by("date", "school__name")
    )


def next_meetings_for(user: User, *, today: date, limit: int = 5) -> list[Meeting]:
    return list(
        meeting_list_for(user, today=today)
        .filter(date__gte=today, status__in=(Meeting.Status.PROPOSED, Meeting.Status.AGREED))
        .order_by("date")[:limit]
    )


def meeting_get_for(user: User, meeting_id: int) -> Meeting:
    meeting = (
        Meeting.objects.filter(school__in=school_list_for(user), pk=meeting_id)
        .select_related("school", "officer", "plan")
        .first()
    )
    if meeting is None:
        raise NotFound("No such meeting.")
    return meeting


def plans_for(user: User, *, today: date) -> QuerySet[TsmPlan]:
    return TsmPlan.objects.filter(
        school__in=school_list_for(user), academic_year=academic_year_of(today)
    ).select_related("school")
