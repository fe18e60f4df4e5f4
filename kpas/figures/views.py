"""The authority's dashboard: county, area, district and school figures by phase against the
published national and authority figures, cohorts, register freshness; CSV export; school
names anonymised on request (for forums). Reads only precomputed figures."""

from __future__ import annotations

import csv
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from kpas.base.errors import NotFound
from kpas.figures.selectors import cohort_totals, figures_year, school_rows, totals_by_level
from schools.calendar import academic_year_label
from schools.national_figures import benchmark_for

STALE_AFTER_SCHOOL_DAYS = 2


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


@login_required
@require_GET
def county_dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authority_staff:  # type: ignore[union-attr]
        raise NotFound()
    year = figures_year(user, today=timezone.localdate())  # type: ignore[arg-type]
    anonymise = request.GET.get("anonymise") == "1"
    levels = totals_by_level(user, year=year)  # type: ignore[arg-type]
    schools = school_rows(user, year=year)  # type: ignore[arg-type]
    names = {
        row.school_id: (f"School {i:03d}" if anonymise else row.school.name)
        for i, row in enumerate(sorted(schools, key=lambda r: r.school.urn), 1)
    }
    benchmarks = {
        phase: benchmark_for(phase=phase, la_number=settings.AUTHORITY_LA_CODE)
        for phase in {t.phase for t in levels} | {r.school.phase for r in schools}
    }
    if request.GET.get("format") == "csv":
        return _csv(levels, schools, names, benchmarks, year)
    freshness = sorted(schools, key=lambda r: (-(r.school_days_behind), names[r.school_id]))
    context: dict[str, Any] = {
        "year_label": academic_year_label(year),
        "levels": [(t, benchmarks[t.phase]) for t in levels],
        "cohorts": cohort_totals(user, year=year),  # type: ignore[arg-type]
        "schools": [(r, names[r.school_id], benchmarks[r.school.phase]) for r in schools],
        "freshness": [(r, names[r.school_id]) for r in freshness],
        "stale_after": STALE_AFTER_SCHOOL_DAYS,
        "anonymise": anonymise,
    }
    return render(request, "figures/county.html", context)


def _csv(levels, schools, names, benchmarks, year) -> HttpResponse:  # type: ignore[no-untyped-def]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attendance-{year}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "level",
            "name",
            "phase",
            "pupils",
            "possible_sessions",
            "attendance_percent",
            "persistent_absence_percent",
            "severe_absence_percent",
            "national_attendance_percent",
            "authority_attendance_percent",
            "data_to",
        ]
    )
    for t in levels:
        b = benchmarks[t.phase]
        writer.writerow(
            [t.level, t.name, t.phase, t.pupils, t.possible, _fmt(t.attendance_rate),
             _fmt(t.persistent_rate), _fmt(t.severe_rate),
             _fmt(b.national.attendance if b.national else None),
             _fmt(b.authority.attendance if b.authority else None), ""]
        )  # fmt: skip
    for r in schools:
        b = benchmarks[r.school.phase]
        writer.writerow(
            ["School", names[r.school_id], r.school.phase, r.pupils, r.possible,
             _fmt(r.attendance_rate), _fmt(r.persistent_rate), _fmt(r.severe_rate),
             _fmt(b.national.attendance if b.national else None),
             _fmt(b.authority.attendance if b.authority else None),
             r.data_date.isoformat() if r.data_date else ""]
        )  # fmt: skip
    return response
