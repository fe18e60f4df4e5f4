"""The authority's off-rolling signals: the list with its filters, and dismissing a signal
with a reason. Reads through returns.offrolling_selectors, writes through
returns.offrolling_services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from kpas.base.errors import ApplicationError
from kpas.base.models import Area, District, User
from kpas.base.roles import Role
from returns import offrolling_selectors as selectors
from returns.models import OffRollingSignal
from returns.offrolling_services import offrolling_signal_dismiss
from returns.selectors import is_authority


def _authority(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not is_authority(user):
        raise Http404("No such page.")
    return user


@login_required
@require_http_methods(["GET"])
def signals(request: HttpRequest) -> HttpResponse:
    user = _authority(request)
    area, district = request.GET.get("area", ""), request.GET.get("district", "")
    kind, show = request.GET.get("kind", ""), request.GET.get("show", selectors.SHOW_OPEN)
    found = selectors.signals_for(user, area=area, district=district, kind=kind, show=show)
    return render(
        request,
        "returns/signals.html",
        {
            "found": found,
            "areas": Area.objects.order_by("name").values_list("name", flat=True),
            "districts": District.objects.order_by("name").values_list("name", flat=True),
            "kinds": OffRollingSignal.Kind.choices,
            "shows": selectors.SHOW_CHOICES,
            "area": area,
            "district": district,
            "kind": kind,
            "show": show,
            "query": request.GET.urlencode(),
            # A deletion return's page opens for the teams it is routed or copied to; the EHE
            # team reads the signal and the form's reference, without a link it cannot open.
            "hide_form_links": user.role == Role.EHE_TEAM,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def signal_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    user = _authority(request)
    signal = selectors.signal_get_for(user, pk)
    error = ""
    if request.method == "POST":
        try:
            offrolling_signal_dismiss(
                actor=user, signal=signal, reason=request.POST.get("reason", "")
            )
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, f"Signal dismissed: {signal.get_kind_display()}")
            back = request.POST.get("back", "")
            url = reverse("returns:signals")
            return redirect(f"{url}?{back}" if back and "//" not in back else url)
    return render(
        request,
        "returns/signal_dismiss.html",
        {
            "signal": signal,
            "error": error,
            "reason": request.POST.get("reason", ""),
            "back": request.POST.get("back", request.GET.get("back", "")),
        },
        status=400 if error else 200,
    )
