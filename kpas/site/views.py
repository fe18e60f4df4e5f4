"""Pages every role shares: home, health, and error pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kpas.base.health import broker_status, database_status
from kpas.base.models import User
from kpas.base.roles import COUNTYWIDE_ROLES, LINKED_OFFICER_ROLES, SCHOOL_ROLES, Role
from kpas.site import (  # noqa: F401  (register the to-do providers)
    todo_casework,
    todo_providers,
)
from kpas.site.home_officer import officer_rows
from kpas.site.home_school import Freshness, TargetSummary, register_freshness, target_summary
from kpas.site.todo import TodoContext, TodoItem, todo_items_for
from kpas.tsm.models import Meeting
from kpas.tsm.selectors import next_meetings_for
from referrals.engine.definitions import Subject
from referrals.pathways import all_pathways
from referrals.services import pathway_refusal
from schools.models import School
from schools.selectors import pupil_get_for, school_list_for

HOME_TEMPLATES = {
    **{role: "kpas/home/school.html" for role in SCHOOL_ROLES},
    **{role: "kpas/home/officer.html" for role in LINKED_OFFICER_ROLES},
    Role.AREA_MANAGER: "kpas/home/area_manager.html",
    Role.COURTS_TEAM: "kpas/home/courts.html",
    Role.CME_TEAM: "kpas/home/cme.html",
    Role.EHE_TEAM: "kpas/home/ehe.html",
    Role.SERVICE_ADMIN: "kpas/home/admin.html",
}


def today() -> date:
    """Today, in one place so tests can fix it (as referrals.clock)."""
    return timezone.localdate()


@dataclass(frozen=True)
class SchoolHome:
    """One school's block on its staff's home page: the to-do list first (issue 14)."""

    school: School
    todo: list[TodoItem]
    target: TargetSummary
    freshness: Freshness
    next_meeting: Meeting | None


def _school_homes(user: User, schools: list[School], today: date) -> list[SchoolHome]:
    homes = []
    for school in schools:
        ctx = TodoContext(user=user, school=school, today=today)
        next_meeting = (
            Meeting.objects.filter(
                school=school, date__gte=today, status__in=("proposed", "agreed")
            )
            .order_by("date")
            .first()
        )
        homes.append(
            SchoolHome(
                school,
                todo_items_for(ctx),
                target_summary(school, today=today),
                register_freshness(school, today=today),
                next_meeting,
            )
        )
    return homes


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    schools = school_list_for(user)  # type: ignore[arg-type]
    context: dict[str, Any] = {
        "role_label": user.get_role_display(),  # type: ignore[union-attr]
        "countywide": user.role in COUNTYWIDE_ROLES,  # type: ignore[union-attr]
    }
    if user.role not in LINKED_OFFICER_ROLES:  # type: ignore[union-attr]
        # An officer's home lists its schools with their figures (officer_rows) instead.
        context["schools"] = schools.order_by("name")[:50]
        context["school_count"] = schools.count()
    if user.role in SCHOOL_ROLES:  # type: ignore[union-attr]
        linked = list(schools.select_related("attendance_officer").order_by("name")[:5])
        context["homes"] = _school_homes(user, linked, today())  # type: ignore[arg-type]
    if user.role in LINKED_OFFICER_ROLES:  # type: ignore[union-attr]
        context["officer_rows"] = officer_rows(schools, today=today())
        context["next_meetings"] = next_meetings_for(user, today=today())  # type: ignore[arg-type]
    template = HOME_TEMPLATES.get(user.role, "kpas/home/admin.html")  # type: ignore[union-attr]
    return render(request, template, context)


@login_required
@require_GET
def pupil_forms(request: HttpRequest, upn: str) -> HttpResponse:
    """ "Send a form about this pupil": the forms this user may send about one pupil, each
    link starting a form with the pupil already chosen."""
    pupil = pupil_get_for(request.user, upn)  # type: ignore[arg-type]
    forms = [
        p
        for p in all_pathways()
        if p.subject == Subject.PUPIL and pathway_refusal(request.user, p) is None  # type: ignore[arg-type]
    ]
    return render(request, "kpas/home/pupil_forms.html", {"pupil": pupil, "forms": forms})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": database_status(), "broker": broker_status()}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No request context: context processors touch the session and database, which may be
    # what failed.
    context = {"service_name": settings.SERVICE_NAME, "authority_name": settings.AUTHORITY_NAME}
    return HttpResponse(loader.render_to_string("500.html", context), status=500)
