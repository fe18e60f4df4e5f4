"""The authority's dashboard: county, area, district and school figures by phase against the
published national, regional and authority figures; weekly and termly trends (a chart drawn
on the server, the figures in a table beside it); cohorts; register freshness; the figures
other apps register (kpas.figures.sections); CSV and XLSX downloads; school names
anonymised on request (for forums). Reads only precomputed figures."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from kpas.base.errors import NotFound
from kpas.base.models import User
from kpas.base.spreadsheets import column_letters, csv_bytes, xlsx_workbook
from kpas.figures import exports
from kpas.figures.models import SchoolFigures
from kpas.figures.sections import dashboard_sections
from kpas.figures.selectors import (
    cohort_totals,
    figures_year,
    school_rows,
    termly_totals,
    totals_by_level,
    weekly_totals,
)
from schools.calendar import academic_year_label
from schools.charts import weekly_rate_chart
from schools.national_figures import SOURCE, all_phases_figures, benchmark_for

STALE_AFTER_SCHOOL_DAYS = 2
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def school_aliases(rows: list[SchoolFigures]) -> dict[int, str]:
    """ "School A", "School B"... in URN order: stable within the page and its downloads."""
    ordered = sorted(rows, key=lambda r: r.school.urn)
    return {row.school_id: f"School {column_letters(i)}" for i, row in enumerate(ordered)}


@login_required
@require_GET
def county_dashboard(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not user.is_authority_staff:
        raise NotFound()
    today = timezone.localdate()
    year = figures_year(user, today=today)
    anonymise = request.GET.get("anonymise") == "1"
    levels = totals_by_level(user, year=year)
    schools = school_rows(user, year=year)
    names = school_aliases(schools) if anonymise else {r.school_id: r.school.name for r in schools}
    if anonymise:  # listed by alias: a list in name order would give the names away
        schools.sort(key=lambda r: (len(names[r.school_id]), names[r.school_id]))
    benchmarks = {
        phase: benchmark_for(phase=phase, la_number=settings.AUTHORITY_LA_CODE)
        for phase in {t.phase for t in levels} | {r.school.phase for r in schools}
    }
    weeks, terms = weekly_totals(user, year=year), termly_totals(user, year=year)
    sections = dashboard_sections(user, year=year, today=today)
    level_rows = [(t, benchmarks[t.phase]) for t in levels]
    school_table = [(r, names[r.school_id], benchmarks[r.school.phase]) for r in schools]
    cohorts = cohort_totals(user, year=year)
    wanted = request.GET.get("format")
    if wanted in ("csv", "xlsx"):
        tables = exports.all_tables(
            exports.summary_table(level_rows, school_table),
            {
                "cohorts": exports.cohorts_table(cohorts),
                "weeks": exports.periods_table("week", weeks),
                "terms": exports.periods_table("term", terms),
            },
            sections,
        )
        return _download(wanted, tables, request.GET.get("table", "summary"), year)
    national, region, authority = all_phases_figures(settings.AUTHORITY_LA_CODE)
    chart = weekly_rate_chart(
        [(w.first, w.attendance_rate or 0.0) for w in weeks if w.possible],
        title=f"Weekly attendance, all schools you can see, {academic_year_label(year)}",
        reference=national.attendance if national else None,
        reference_label=f"England, all state-funded schools {national.time_period}"
        if national
        else "",
    )
    freshness = sorted(schools, key=lambda r: (-(r.school_days_behind), names[r.school_id]))
    context: dict[str, Any] = {
        "year_label": academic_year_label(year),
        "levels": level_rows,
        "cohorts": cohorts,
        "schools": school_table,
        "freshness": [(r, names[r.school_id]) for r in freshness],
        "stale_after": STALE_AFTER_SCHOOL_DAYS,
        "anonymise": anonymise,
        "weeks": weeks,
        "terms": terms,
        "chart": chart,
        "all_phases": (national, region, authority),
        "region_name": region.geography if region else "",
        "sections": sections,
        "source": SOURCE,
    }
    return render(request, "figures/county.html", context)


def _download(wanted: str, tables: dict[str, exports.Table], table: str, year: int) -> HttpResponse:
    if wanted == "xlsx":
        response = HttpResponse(xlsx_workbook(list(tables.items())), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="attendance-{year}.xlsx"'
        return response
    if table not in tables:
        raise NotFound("No such table.")
    response = HttpResponse(csv_bytes(tables[table]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attendance-{year}-{table}.csv"'
    return response
