"""The school attendance dashboard, its pupil lists and the N codes awaiting a reason.

Thin views: the school comes from `school_get_for` (out of scope is 404) and every figure
from `schools.dashboard`.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from kpas.base.api_parsers import request_date
from kpas.base.audit import AuditAction, audit_record
from schools.charts import weekly_rate_chart
from schools.dashboard.figures import school_attendance
from schools.dashboard.n_codes import n_codes_awaiting
from schools.dashboard.pupil_lists import (
    DEFAULT_SORT,
    GROUP_LABELS,
    NUMERIC_SORTS,
    SORTS,
    PupilFilters,
    PupilGroup,
    group_description,
    pupil_figures,
    threshold_alerts,
    year_groups_of,
)
from schools.dashboard.school_dashboard import dashboard_for
from schools.dashboard.school_year import CHARACTERISTICS, year_group_label
from schools.national_figures import SOURCE
from schools.selectors import school_get_for

PUPILS_PER_PAGE: Final = 25
N_CODES_PER_PAGE: Final = 50


def as_of_from(request: HttpRequest) -> date:
    """?as_of=YYYY-MM-DD to see the figures on an earlier day; otherwise today."""
    raw = request.GET.get("as_of", "")
    try:
        return request_date(raw) if raw else timezone.localdate()
    except ValueError:  # not a date, or an absurd one (0001-01-01): today
        return timezone.localdate()


def paginated(request: HttpRequest, items: list[Any], per_page: int) -> dict[str, Any]:
    """The requested page (past the end gives the last) and its elided page numbers."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    return {
        "page_obj": page,
        "page_range": list(
            page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
        ),
    }


@login_required
@require_GET
def school_dashboard(request: HttpRequest, urn: str) -> HttpResponse:
    school = school_get_for(request.user, urn, with_officer=True)  # type: ignore[arg-type]
    dashboard = dashboard_for(school, as_of=as_of_from(request))
    national = dashboard.benchmark.national
    chart = weekly_rate_chart(
        [(week.first_day, week.attendance_rate or 0.0) for week in dashboard.weeks],
        title=f"Weekly attendance at {school.name}, {dashboard.data.label}",
        reference=national.attendance if national else None,
        reference_label=f"National average, {national.education_phase.lower()} schools "
        f"{national.time_period}"
        if national
        else "",
    )
    return render(
        request,
        "schools/dashboard.html",
        {
            "school": school,
            "dashboard": dashboard,
            "data": dashboard.data,
            "benchmark": dashboard.benchmark,
            "chart": chart,
            "threshold_rows": dashboard.threshold[: dashboard.summary_rows],
            "n_code_rows": dashboard.n_codes[: dashboard.summary_rows],
            "officer_view": not request.user.is_school_staff,  # type: ignore[union-attr]
            "source": SOURCE,
        },
    )


class PupilListForm(forms.Form):
    """The pupil list's filters and sort order, read from the query string."""

    group = forms.ChoiceField(choices=list(GROUP_LABELS.items()), required=False)
    year = forms.ChoiceField(choices=[("", "All year groups")], required=False)
    characteristic = forms.MultipleChoiceField(
        choices=[(c.key, c.label) for c in CHARACTERISTICS], required=False
    )
    q = forms.CharField(required=False, max_length=100)
    sort = forms.ChoiceField(choices=[(k, v[0]) for k, v in SORTS.items()], required=False)
    order = forms.ChoiceField(choices=[("asc", "asc"), ("desc", "desc")], required=False)

    def __init__(self, *args: Any, year_groups: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "All year groups")] + [  # type: ignore[attr-defined]
            (group, year_group_label(group)) for group in year_groups
        ]

    def filters(self) -> PupilFilters:
        self.is_valid()  # invalid values are dropped; the rest still apply
        data = getattr(self, "cleaned_data", {})
        return PupilFilters(
            group=PupilGroup(data.get("group") or PupilGroup.ALL),
            year_group=data.get("year") or "",
            characteristics=tuple(data.get("characteristic") or ()),
            search=data.get("q") or "",
            sort=data.get("sort") or DEFAULT_SORT,
            descending=data.get("order") == "desc",
        )


@login_required
@require_GET
def school_pupils(request: HttpRequest, urn: str) -> HttpResponse:
    school = school_get_for(request.user, urn)  # type: ignore[arg-type]
    attendance = school_attendance(school, as_of=as_of_from(request))
    form = PupilListForm(request.GET, year_groups=year_groups_of(attendance.data))
    filters = form.filters()
    thresholds = threshold_alerts(attendance.data)
    rows = pupil_figures(attendance, filters, thresholds=thresholds)
    columns = [
        (key, label, key in NUMERIC_SORTS)
        for key, (label, _) in SORTS.items()
        if key != "threshold" or filters.group == PupilGroup.THRESHOLD
    ]
    page = paginated(request, rows, PUPILS_PER_PAGE)
    # One event for the page, naming every pupil it showed (never one per pupil).
    audit_record(
        actor=request.user,  # type: ignore[arg-type]
        action=AuditAction.SCHOOL_PUPILS_LISTED,
        obj=school,
        detail={
            "via": "web",
            "count": len(rows),
            "upns": [row.pupil.upn for row in page["page_obj"]],
        },
    )
    return render(
        request,
        "schools/pupil_list.html",
        {
            "school": school,
            "data": attendance.data,
            "has_marks": attendance.has_marks,
            "recent": attendance.recent,
            "form": form,
            "filters": filters,
            "group_label": GROUP_LABELS[filters.group],
            "group_description": group_description(filters.group, state_funded=school.state_funded),
            "groups": list(GROUP_LABELS.items()),
            "characteristics": CHARACTERISTICS,
            "columns": columns,
            **page,
            "total": len(rows),
            "filtered": bool(filters.year_group or filters.characteristics or filters.search),
        },
    )


@login_required
@require_GET
def school_n_codes(request: HttpRequest, urn: str) -> HttpResponse:
    school = school_get_for(request.user, urn)  # type: ignore[arg-type]
    attendance = school_attendance(school, as_of=as_of_from(request))
    rows = n_codes_awaiting(attendance.data)
    overdue_only = request.GET.get("overdue") == "1"
    if overdue_only:
        rows = [row for row in rows if row.overdue]
    return render(
        request,
        "schools/n_codes.html",
        {
            "school": school,
            "data": attendance.data,
            **paginated(request, rows, N_CODES_PER_PAGE),
            "total": len(rows),
            "overdue_only": overdue_only,
        },
    )
