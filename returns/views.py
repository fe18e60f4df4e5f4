"""Pages for statutory returns: the school's "Returns due" and the authority's compliance
view with its exports. Reads through returns.selectors, writes through returns.services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from kpas.base.errors import ApplicationError
from kpas.base.models import Area, District
from returns import exports, selectors, services
from schools.models import Pupil
from schools.selectors import pupil_list_for

RETURNS_PATHWAY = "attendance-or-sickness-return"  # the DFD's pathway 3, by its URL slug
UPN_REQUIRED = "Enter the pupil's UPN"
UPN_NOT_FOUND = "No pupil with that UPN is on your school's register"
DATE_INVALID = "Enter the first day of the absence as a real date"


def today() -> date:
    return timezone.localdate()


def _returns_page(request: HttpRequest, urn: str, errors: dict[str, str] | None = None) -> Any:
    data = selectors.school_returns_for(request.user, urn, today=today())  # type: ignore[arg-type]
    for entry in data.due:  # a refused "not needed" shows its error beside its pupil
        entry.form_error = (errors or {}).get(f"reason-{entry.pk}", "")  # type: ignore[attr-defined]
    return render(
        request,
        "returns/returns_due.html",
        {
            "data": data,
            "school": data.school,
            "errors": errors or {},
            "posted": request.POST if errors else {},
            "pathway_slug": RETURNS_PATHWAY,
        },
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET"])
def returns_due(request: HttpRequest, urn: str) -> HttpResponse:
    return _returns_page(request, urn)


@login_required
@require_POST
def entry_not_needed(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get_for(request.user, pk)  # type: ignore[arg-type]
    try:
        services.return_entry_not_needed(
            actor=request.user,  # type: ignore[arg-type]
            entry=entry,
            reason=request.POST.get("reason", ""),
        )
    except ApplicationError as error:
        return _returns_page(request, entry.school.urn, {f"reason-{entry.pk}": error.message})
    return redirect(reverse("returns:due", kwargs={"urn": entry.school.urn}))


def _posted_date(request: HttpRequest, name: str) -> date | None:
    try:
        return date(
            int(request.POST.get(f"{name}_year", "")),
            int(request.POST.get(f"{name}_month", "")),
            int(request.POST.get(f"{name}_day", "")),
        )
    except ValueError:
        return None


@login_required
@require_POST
def entry_add(request: HttpRequest, urn: str) -> HttpResponse:
    """The school adds a pupil who fails to attend regularly (reg 13)."""
    data = selectors.school_returns_for(request.user, urn, today=today())  # type: ignore[arg-type]
    errors: dict[str, str] = {}
    upn = request.POST.get("upn", "").strip().upper()
    pupil = None
    if not upn:
        errors["upn"] = UPN_REQUIRED
    else:
        pupil = pupil_list_for(request.user, school=data.school).filter(upn=upn).first()  # type: ignore[arg-type]
        if pupil is None:
            errors["upn"] = UPN_NOT_FOUND
    absence_from = _posted_date(request, "absence_from")
    if absence_from is None or absence_from > today():
        errors["absence_from"] = DATE_INVALID
    if not errors:
        assert isinstance(pupil, Pupil) and absence_from is not None
        try:
            services.return_entry_add(
                actor=request.user,  # type: ignore[arg-type]
                school=data.school,
                pupil=pupil,
                reason=request.POST.get("reason", ""),
                absence_from=absence_from,
                as_of=today(),
            )
        except ApplicationError as error:
            errors["reason" if error.code == "reason_required" else "upn"] = error.message
    if errors:
        return _returns_page(request, urn, errors)
    return redirect(reverse("returns:due", kwargs={"urn": urn}))


@login_required
@require_POST
def period_nil(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.period_get_for(request.user, pk)  # type: ignore[arg-type]
    services.return_period_nil(actor=request.user, period=period)  # type: ignore[arg-type]
    return redirect(reverse("returns:due", kwargs={"urn": period.school.urn}))


@login_required
@require_http_methods(["GET"])
def compliance(request: HttpRequest) -> HttpResponse:
    """The authority's view: each school's return for a period, filterable by area and
    district, with the returned pupils flagged and repeated sickness listed."""
    user = request.user
    if not selectors.is_authority(user):  # type: ignore[arg-type]
        raise Http404("No such page.")
    area, district = request.GET.get("area", ""), request.GET.get("district", "")
    starts_text = request.GET.get("period", "")
    try:
        starts = date.fromisoformat(starts_text) if starts_text else None
    except ValueError:
        starts = None
    rows = selectors.compliance_for(
        user,  # type: ignore[arg-type]
        today=today(),
        starts=starts,
        area=area,
        district=district,
    )
    export = request.GET.get("format", "")
    if export in ("csv", "xlsx"):
        table = exports.compliance_table(rows)
        name = f"returns-compliance-{starts or today()}"
        if export == "csv":
            response = HttpResponse(exports.csv_bytes(table), content_type="text/csv")
        else:
            response = HttpResponse(
                exports.xlsx_bytes(table),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}.{export}"'
        return response
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    return render(
        request,
        "returns/compliance.html",
        {
            "rows": rows,
            "counts": [
                (selectors.STATUS_LABELS[k], counts.get(k, 0)) for k in selectors.STATUS_LABELS
            ],
            "areas": Area.objects.order_by("name").values_list("name", flat=True),
            "districts": District.objects.order_by("name").values_list("name", flat=True),
            "periods": selectors.period_starts_for(user),  # type: ignore[arg-type]
            "area": area,
            "district": district,
            "period": starts,
            "returned": selectors.returned_pupils_for(
                user,
                starts=starts,
                area=area,
                district=district,  # type: ignore[arg-type]
            ),
            "not_needed": selectors.not_needed_for(
                user,
                starts=starts,
                area=area,
                district=district,  # type: ignore[arg-type]
            ),
            "repeated_sickness": selectors.repeated_sickness_for(
                user,
                area=area,
                district=district,  # type: ignore[arg-type]
            ),
            "query": request.GET.urlencode(),
        },
    )
