"""GET /api/v1/pupils/{upn}/penalty-check/: the penalty decision as `penalty_check` prints it."""

from __future__ import annotations

from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kpas.base.api_parsers import request_date
from kpas.base.audit import AuditAction, audit_record
from penalties.selectors import UnknownParent, penalty_check, penalty_pupil_get_for
from penalties.vocabulary import PENALTY_CASES, Delivery
from schools.attendance_report import NoEnrolment

PenaltyCheckSerializer = inline_serializer(
    name="PenaltyCheck",
    fields={
        "eligible": serializers.BooleanField(),
        "reasons": serializers.ListField(child=serializers.CharField()),
        "notice_number": serializers.IntegerField(allow_null=True),
        "amounts": serializers.DictField(child=serializers.IntegerField()),
        "deadlines": serializers.DictField(child=serializers.DateField()),
        "threshold": inline_serializer(
            name="PenaltyThresholdWindow",
            allow_null=True,
            fields={
                "from": serializers.DateField(),
                "to": serializers.DateField(),
                "sessions": inline_serializer(
                    name="ThresholdSession",
                    many=True,
                    fields={
                        "date": serializers.DateField(),
                        "session": serializers.CharField(),
                        "code": serializers.CharField(),
                    },
                ),
            },
        ),
    },
)


def _date(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name, "").strip()
    try:
        return request_date(raw) if raw else None
    except ValueError as exc:
        raise ValidationError({name: str(exc)}) from None


def _required_date(request: Request, name: str) -> date:
    day = _date(request, name)
    if day is None:
        raise ValidationError({name: "This parameter is required (YYYY-MM-DD)."})
    return day


def _choice(request: Request, name: str, choices: list[str], default: str | None) -> str:
    raw = request.query_params.get(name, "").strip().lower() or default
    if raw not in choices:
        raise ValidationError({name: f"Use one of {', '.join(choices)}."})
    return raw


class PenaltyCheckView(APIView):
    @extend_schema(
        summary="May a penalty notice be issued to one parent of a pupil, and on what terms",
        parameters=[
            OpenApiParameter(
                "parent",
                OpenApiTypes.STR,
                required=True,
                description="The parent's person reference",
            ),
            OpenApiParameter(
                "case", OpenApiTypes.STR, required=True, enum=[str(c) for c in PENALTY_CASES]
            ),
            OpenApiParameter(
                "on",
                OpenApiTypes.DATE,
                required=True,
                description="Proposed date of issue (posting)",
            ),
            OpenApiParameter(
                "delivery",
                OpenApiTypes.STR,
                enum=[str(d) for d in Delivery],
                description="Default: post",
            ),
            OpenApiParameter(
                "seen_on",
                OpenApiTypes.DATE,
                description="Day seen in a public place (exclusion only)",
            ),
        ],
        responses=PenaltyCheckSerializer,
    )
    def get(self, request: Request, upn: str) -> Response:
        pupil = penalty_pupil_get_for(request.user, upn)  # type: ignore[arg-type]
        parent_ref = request.query_params.get("parent", "").strip()
        if not parent_ref:
            raise ValidationError({"parent": "This parameter is required."})
        case = _choice(request, "case", [str(c) for c in PENALTY_CASES], None)
        on = _required_date(request, "on")
        delivery = _choice(request, "delivery", [str(d) for d in Delivery], Delivery.POST.value)
        seen_on = _date(request, "seen_on")
        try:
            result = penalty_check(
                pupil=pupil,
                parent_ref=parent_ref,
                case=case,
                on=on,
                delivery=delivery,
                seen_on=seen_on,
            )
        except UnknownParent:
            raise NotFound("No such parent of this pupil.") from None
        except NoEnrolment:
            raise NotFound("The pupil was not on roll at a school by that date.") from None
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=AuditAction.PUPIL_ATTENDANCE_VIEWED,
            obj=pupil,
            detail={"via": "api", "penalty_check": case, "on": on.isoformat()},
        )
        return Response(result)
