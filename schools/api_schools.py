"""API for the schools a user may see: the list, each school's pupils with their figures,
its statistics (the dashboard's figures) and its alerts."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kpas.base.audit import AuditAction, audit_record
from schools.api_params import AS_OF, as_of_param, bool_param
from schools.dashboard.figures import school_attendance
from schools.dashboard.pupil_lists import (
    DEFAULT_SORT,
    SORTS,
    PupilFilters,
    pupil_figures,
    threshold_alerts,
)
from schools.dashboard.school_dashboard import dashboard_for
from schools.dashboard.school_year import CHARACTERISTICS
from schools.models import Alert, School
from schools.national_figures import SOURCE
from schools.selectors import school_get_for, school_list_for
from schools.serializers import (
    AlertSerializer,
    PupilFiguresSerializer,
    SchoolStatisticsSerializer,
)

_BOOLEAN_FILTERS = [
    OpenApiParameter(key, OpenApiTypes.BOOL, description=f"{label}: true or false")
    for key, label in (
        *((c.key, c.label) for c in CHARACTERISTICS),
        ("pa", "Persistently absent this year (missed 10% or more)"),
        ("sa", "Severely absent this year (missed 50% or more)"),
        ("at_risk", "At risk of persistent absence"),
    )
]


class SchoolYearPagination(PageNumberPagination):
    """Page-numbered, with the school year and the last day the figures count."""

    page_size_query_param = "page_size"
    max_page_size = 500
    extra: dict[str, object]

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response.data = {**getattr(self, "extra", {}), **response.data}
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"] = {
            "academic_year": {"type": "string", "example": "2026/27"},
            "figures_to": {
                "type": "string",
                "format": "date",
                "nullable": True,
                "description": "The last day with register marks",
            },
            **paginated["properties"],
        }
        return paginated


class SchoolPupilListView(ListAPIView):  # type: ignore[type-arg]
    """Pupils of a school with this year's attendance, filtered like the web list."""

    serializer_class = PupilFiguresSerializer
    pagination_class = SchoolYearPagination

    @extend_schema(
        summary="A school's pupils with their attendance this year",
        parameters=[
            AS_OF,
            OpenApiParameter("year_group", OpenApiTypes.STR, description="e.g. R, 1, 11"),
            *_BOOLEAN_FILTERS,
            OpenApiParameter("q", OpenApiTypes.STR, description="Part of a name or UPN"),
            OpenApiParameter(
                "include_leavers",
                OpenApiTypes.BOOL,
                description="Also pupils who left this year (default false)",
            ),
            OpenApiParameter(
                "ordering",
                OpenApiTypes.STR,
                enum=[*SORTS, *(f"-{key}" for key in SORTS)],
                description="Default: attendance",
            ),
        ],
    )
    def get(self, request: Request, urn: str) -> Response:
        school = school_get_for(request.user, urn)  # type: ignore[arg-type]
        attendance = school_attendance(school, as_of=as_of_param(request))
        wanted = {c.key: bool_param(request, c.key) for c in CHARACTERISTICS}
        ordering = request.query_params.get("ordering", DEFAULT_SORT)
        if ordering.lstrip("-") not in SORTS:
            raise ValidationError({"ordering": f"Use one of {', '.join(SORTS)}."})
        filters = PupilFilters(
            year_group=request.query_params.get("year_group", "").strip(),
            characteristics=tuple(k for k, v in wanted.items() if v is True),
            without_characteristics=tuple(k for k, v in wanted.items() if v is False),
            search=request.query_params.get("q", ""),
            sort=ordering.lstrip("-"),
            descending=ordering.startswith("-"),
            include_leavers=bool(bool_param(request, "include_leavers")),
            persistent=bool_param(request, "pa"),
            severe=bool_param(request, "sa"),
            at_risk=bool_param(request, "at_risk"),
        )
        rows = pupil_figures(attendance, filters, thresholds=threshold_alerts(attendance.data))
        page = self.paginate_queryset(rows)
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=AuditAction.SCHOOL_PUPILS_LISTED,
            obj=school,
            detail={
                "via": "api",
                "count": len(rows),
                "upns": [row.pupil.upn for row in page or ()],
            },
        )
        self.paginator.extra = {  # type: ignore[union-attr]
            "academic_year": attendance.data.label,
            "figures_to": attendance.data.data_date,
        }
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class SchoolStatisticsView(APIView):
    @extend_schema(
        summary="A school's attendance statistics (the dashboard's figures)",
        parameters=[AS_OF],
        responses=SchoolStatisticsSerializer,
    )
    def get(self, request: Request, urn: str) -> Response:
        school = school_get_for(request.user, urn)  # type: ignore[arg-type]
        dashboard = dashboard_for(school, as_of=as_of_param(request))
        attendance = dashboard.attendance

        def period(rates: Any, span: Any) -> dict[str, Any] | None:
            if rates is None or span is None:
                return None
            return {"first_day": span.first_day, "last_day": span.last_day, "rates": rates}

        return Response(
            SchoolStatisticsSerializer(
                {
                    "urn": school.urn,
                    "academic_year": dashboard.data.label,
                    "figures_to": dashboard.data.data_date,
                    "year_to_date": period(dashboard.year_to_date, attendance.year),
                    "last_4_weeks": period(dashboard.last_four_weeks, attendance.recent),
                    "benchmark": {**dashboard.benchmark.__dict__, "source": SOURCE},
                    "pupils": {
                        "on_roll": dashboard.on_roll,
                        "severely_absent": dashboard.severe,
                        "persistently_absent": dashboard.persistent,
                        "at_risk_of_persistent_absence": dashboard.at_risk,
                        "met_penalty_threshold": len(dashboard.threshold),
                        "n_codes_awaiting_reason": len(dashboard.n_codes),
                        "n_codes_overdue": dashboard.n_codes_overdue,
                    },
                    "weeks": dashboard.weeks,
                    "characteristics": dashboard.characteristic_cohorts,
                    "year_groups": dashboard.year_group_cohorts,
                }
            ).data
        )


class SchoolAlertListView(ListAPIView):  # type: ignore[type-arg]
    """Alerts the nightly evaluation raised for a school's pupils, newest first."""

    serializer_class = AlertSerializer

    @extend_schema(
        summary="A school's alerts",
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=list(Alert.Kind.values)),
            OpenApiParameter(
                "open", OpenApiTypes.BOOL, description="true: not cleared; false: cleared"
            ),
            OpenApiParameter("academic_year", OpenApiTypes.INT, description="2026 for 2026/27"),
            OpenApiParameter("upn", OpenApiTypes.STR, description="One pupil's alerts"),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):  # type: ignore[no-untyped-def]
        school = school_get_for(self.request.user, self.kwargs["urn"])  # type: ignore[arg-type]
        params = self.request.query_params
        alerts = Alert.objects.filter(school=school).select_related("pupil")
        kind = params.get("kind", "").strip()
        if kind:
            if kind not in Alert.Kind.values:
                raise ValidationError({"kind": f"Use one of {', '.join(Alert.Kind.values)}."})
            alerts = alerts.filter(kind=kind)
        is_open = bool_param(self.request, "open")
        if is_open is not None:
            alerts = alerts.filter(cleared_on__isnull=is_open)
        year = params.get("academic_year", "").strip()
        if year:
            if not year.isdigit():
                raise ValidationError({"academic_year": "Use the starting year, e.g. 2026."})
            alerts = alerts.filter(academic_year=int(year))
        upn = params.get("upn", "").strip().upper()
        if upn:
            alerts = alerts.filter(pupil__upn=upn)
        return alerts.order_by("-raised_on", "-id")


class SchoolSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.name")
    area = serializers.CharField(source="district.area.name")

    class Meta:
        model = School
        fields = ["urn", "name", "phase", "school_type", "state_funded", "district", "area"]


class SchoolListView(ListAPIView):
    """The schools the signed-in user may see."""

    serializer_class = SchoolSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return school_list_for(self.request.user).order_by("urn")  # type: ignore[arg-type]
