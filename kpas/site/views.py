"""Pages every role shares: home, health, and error pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kpas.base.health import broker_status, database_status
from kpas.base.roles import COUNTYWIDE_ROLES, LINKED_OFFICER_ROLES, SCHOOL_ROLES, Role
from schools.selectors import school_list_for

HOME_TEMPLATES = {
    **{role: "kpas/home/school.html" for role in SCHOOL_ROLES},
    **{role: "kpas/home/officer.html" for role in LINKED_OFFICER_ROLES},
    Role.AREA_MANAGER: "kpas/home/area_manager.html",
    Role.COURTS_TEAM: "kpas/home/courts.html",
    Role.CME_TEAM: "kpas/home/cme.html",
    Role.EHE_TEAM: "kpas/home/ehe.html",
    Role.SERVICE_ADMIN: "kpas/home/admin.html",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    schools = school_list_for(user)  # type: ignore[arg-type]
    context = {
        "role_label": user.get_role_display(),  # type: ignore[union-attr]
        "schools": schools.order_by("name")[:50],
        "school_count": schools.count(),
        "countywide": user.role in COUNTYWIDE_ROLES,  # type: ignore[union-attr]
    }
    template = HOME_TEMPLATES.get(user.role, "kpas/home/admin.html")  # type: ignore[union-attr]
    return render(request, template, context)


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
