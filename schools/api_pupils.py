"""API for one pupil: statutory figures, details and marks, scoped exactly as the web is.

Every read goes through the scoped selectors: only the enrolments at schools the user may
see, and no current address or contacts once the pupil has moved on beyond them."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kpas.base.api_parsers import request_date
from kpas.base.audit import AuditAction, audit_record
from schools.api_params import date_param
from schools.attendance_report import NoEnrolment, attendance_report
from schools.attendance_report_schema import AttendanceReportSerializer
from schools.calendar import academic_year_start
from schools.codes import UnknownCode, lookup
from schools.models import Mark
from schools.selectors import (
    enrolment_list_for,
    pupil_get_for,
    pupil_view_for,
    school_list_for,
)
from schools.serializers import (
    PupilDetailSerializer,
    PupilMarksSerializer,
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
            as_of = request_date(raw) if raw else timezone.localdate()
        except ValueError as exc:
            raise ValidationError({"as_of": str(exc)}) from None
        try:
            # Computed on the enrolments in the user's scope only (issue 10 item 1).
            report = attendance_report(pupil, as_of, within=school_list_for(request.user))  # type: ignore[arg-type]
        except NoEnrolment:
            raise NotFound("The pupil was not on roll at a school by that date.") from None
        audit_record(
            actor=request.user,
            action=AuditAction.PUPIL_ATTENDANCE_VIEWED,
            obj=pupil,  # type: ignore[arg-type]
            detail={"as_of": as_of.isoformat(), "via": "api"},
        )
        return Response(report)


MAX_MARKS_DAYS = 731  # two school years of marks per request


class PupilDetailView(APIView):
    @extend_schema(
        summary="A pupil's details, characteristics, parents and enrolments",
        responses=PupilDetailSerializer,
    )
    def get(self, request: Request, upn: str) -> Response:
        pupil = pupil_get_for(request.user, upn)  # type: ignore[arg-type]
        view = pupil_view_for(request.user, pupil)  # type: ignore[arg-type]
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=AuditAction.PUPIL_RECORD_VIEWED,
            obj=pupil,
            detail={"via": "api"},
        )
        return Response(PupilDetailSerializer(pupil, context={"view": view}).data)


class PupilMarksView(APIView):
    @extend_schema(
        summary="A pupil's register marks at the schools you may see",
        parameters=[
            OpenApiParameter(
                "from",
                OpenApiTypes.DATE,
                description="First day (default: 1 August of this school year)",
            ),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (default: today)"),
        ],
        responses=PupilMarksSerializer,
    )
    def get(self, request: Request, upn: str) -> Response:
        pupil = pupil_get_for(request.user, upn)  # type: ignore[arg-type]
        today = timezone.localdate()
        last = date_param(request, "to", today)
        first = date_param(request, "from", academic_year_start(last))
        if first > last:
            raise ValidationError({"from": "The first day must not be after the last."})
        if (last - first).days >= MAX_MARKS_DAYS:
            raise ValidationError({"to": f"Ask for at most {MAX_MARKS_DAYS} days at a time."})
        # The schools in scope where the pupil has been enrolled: the register's key leads
        # with the school, so each is one index range.
        school_ids = list(
            enrolment_list_for(request.user, pupil)  # type: ignore[arg-type]
            .order_by()
            .values_list("school_id", flat=True)
            .distinct()
        )
        rows = (
            Mark.objects.filter(school_id__in=school_ids, pupil=pupil, date__range=(first, last))
            .order_by("date", "session", "school_id")
            .values_list("school__urn", "date", "session", "code")
        )
        marks = []
        for urn, day, session, code in rows:
            try:
                meaning = lookup(code, day)
                category, description = meaning.category.value, meaning.description
            except UnknownCode:
                category, description = "", "Not a code of the code set in force on this date"
            marks.append(
                {
                    "urn": urn,
                    "date": day,
                    "session": "AM" if session == 0 else "PM",
                    "code": code,
                    "category": category,
                    "meaning": description,
                }
            )
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=AuditAction.PUPIL_MARKS_VIEWED,
            obj=pupil,
            detail={"via": "api", "from": first.isoformat(), "to": last.isoformat()},
        )
        return Response(
            PupilMarksSerializer(
                {"upn": pupil.upn, "date_from": first, "date_to": last, "marks": marks}
            ).data
        )
