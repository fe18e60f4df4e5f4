"""The authority's reports page: returns per period per school, deletions by ground, school
and month, and the schools whose Year 11 deletions before the census stand out; each table
downloadable as CSV or XLSX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from kpas.base.models import Area, District, User
from returns import exports, report_selectors
from returns.selectors import is_authority
from schools.calendar import academic_year_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLES = ("periods", "deletions", "standout")


def _download(table: list[list[str]], name: str, fmt: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(exports.csv_bytes(table), content_type="text/csv")
    else:
        response = HttpResponse(exports.xlsx_bytes(table, sheet=name[:31]), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@require_http_methods(["GET"])
def reports(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not is_authority(user):
        raise Http404("No such page.")
    today = timezone.localdate()
    area, district = request.GET.get("area", ""), request.GET.get("district", "")
    current = academic_year_of(today)
    try:
        year = int(request.GET.get("year", current))
    except ValueError:
        year = current
    year = min(max(year, current - 5), current)
    periods = report_selectors.returns_per_period(user, today=today, area=area, district=district)
    deletions = report_selectors.deletions_for(
        user, academic_year=year, area=area, district=district
    )
    standout = report_selectors.year11_standout_for(
        user, academic_year=year, area=area, district=district
    )
    table, fmt = request.GET.get("download", ""), request.GET.get("format", "csv")
    if table in TABLES and fmt in ("csv", "xlsx"):
        built = {
            "periods": lambda: exports.periods_table(periods),
            "deletions": lambda: exports.deletions_table(deletions),
            "standout": lambda: exports.standout_table(standout),
        }[table]()
        return _download(built, f"returns-{table}-{year}", fmt)
    return render(
        request,
        "returns/reports.html",
        {
            "periods": periods,
            "deletions": deletions,
            "standout": standout,
            "years": [(y, f"{y}/{str(y + 1)[2:]}") for y in range(current, current - 6, -1)],
            "year": year,
            "areas": Area.objects.order_by("name").values_list("name", flat=True),
            "districts": District.objects.order_by("name").values_list("name", flat=True),
            "area": area,
            "district": district,
            "query": request.GET.urlencode(),
        },
    )
