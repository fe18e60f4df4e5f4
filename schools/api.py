"""API for registers: one pupil's statutory attendance figures."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kpas.audit import audit_record
from schools.attendance_report import NoEnrolment, attendance_report
from schools.selectors import pupil_get_for

_dates = {
    "date": serializers.DateField(),
    "session": serializers.CharField(),
    "due": serializers.DateField(),
}
AttendanceReportSerializer = inline_serializer(
    name="AttendanceReport",
    fields={
        "upn": serializers.CharField(),
        "urn": serializers.CharField(),
        "as_of": serializers.DateField(),
        "academic_year": serializers.CharField(),
        "compulsory_school_age": serializers.BooleanField(),
        "sessions": inline_serializer(
            name="SessionCounts",
            fields={
                name: serializers.IntegerField()
                for name in (
                    "possible",
                    "present",
                    "approved_activity",
                    "authorised",
                    "unauthorised",
                    "not_possible",
                )
            },
        ),
        "attendance_rate": serializers.FloatField(allow_null=True),
        "persistent_absence": serializers.BooleanField(),
        "severe_absence": serializers.BooleanField(),
        "penalty_threshold": inline_serializer(
            name="PenaltyThreshold",
            fields={
                "met": serializers.BooleanField(),
                "met_on": serializers.DateField(allow_null=True),
                "met_session": serializers.CharField(allow_null=True),
                "window_start": serializers.DateField(allow_null=True),
            },
        ),
        "overdue_n_codes": inline_serializer(name="OverdueN", fields=_dates, many=True),
        "attendance_return": inline_serializer(
            name="AttendanceReturnCheck",
            fields={
                "continuous_unauthorised_school_days": serializers.FloatField(),
                "due": serializers.BooleanField(),
            },
        ),
        "sickness_return": inline_serializer(
            name="SicknessReturnCheck",
            fields={
                "illness_school_days": serializers.FloatField(),
                "due": serializers.BooleanField(),
            },
        ),
    },
)


class PupilAttendanceView(APIView):
    @extend_schema(
        summary="A pupil's statutory attendance figures for the school year to date",
        parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE, description="Default: today")],
        responses=AttendanceReportSerializer,
    )
    def get(self, request: Request, upn: str) -> Response:
        pupil = pupil_get_for(request.user, upn)  # type: ignore[arg-type]
        raw = request.query_params.get("as_of")
        try:
            as_of = date.fromisoformat(raw) if raw else timezone.localdate()
        except ValueError:
            raise ValidationError({"as_of": "Enter a date as YYYY-MM-DD."}) from None
        try:
            report = attendance_report(pupil, as_of)
        except NoEnrolment:
            raise NotFound("The pupil was not on roll at a school by that date.") from None
        audit_record(
            actor=request.user,
            action="pupil.attendance_viewed",
            obj=pupil,  # type: ignore[arg-type]
            detail={"as_of": as_of.isoformat(), "via": "api"},
        )
        return Response(report)
