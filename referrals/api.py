"""The Digital Front Door API, for schools' MIS integrations: the same engine, checks,
routing and scoping as the web forms (referrals.services, referrals.selectors)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from referrals import clock, services
from referrals.engine import describe_pathway
from referrals.pathways import all_pathways, pathway_get
from referrals.selectors import submission_get_for, submission_list_for
from referrals.serializers import (
    PathwaySerializer,
    SubmissionCreateSerializer,
    SubmissionDetailSerializer,
    SubmissionListSerializer,
    ValidationErrorSerializer,
)

REQUEST_INVALID = "The request is not valid: see errors."


def _request_invalid(errors: Mapping[str, Any]) -> Response:
    """A malformed request, in the 400 shape the schema documents (ValidationErrorSerializer),
    so clients read one shape whatever was wrong (issue 15 item 2, found by schemathesis)."""
    flat = {
        str(name): " ".join(map(str, value)) if isinstance(value, list) else str(value)
        for name, value in errors.items()
    }
    return Response(
        {"detail": REQUEST_INVALID, "errors": flat, "conditions": []},
        status=status.HTTP_400_BAD_REQUEST,
    )


class SubmissionListCreateView(generics.ListAPIView):
    """Digital Front Door submissions the signed-in user may see; and sending one."""

    serializer_class = SubmissionListSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return submission_list_for(self.request.user).order_by(  # type: ignore[arg-type]
            "-submitted_at"
        )

    @extend_schema(
        summary="Send a Digital Front Door form",
        description=(
            "Validates the answers with exactly the rules of the web form (required-when "
            "rules, the register's checks, conditions that block or need a reason), then "
            "sends, routes and allocates the submission. Send an `Idempotency-Key` header "
            "(a UUID) so that a retry returns the first submission instead of a second."
        ),
        request=SubmissionCreateSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key", OpenApiTypes.UUID, OpenApiParameter.HEADER, required=False
            )
        ],
        responses={
            201: SubmissionDetailSerializer,
            200: OpenApiResponse(
                SubmissionDetailSerializer, description="Already sent with this Idempotency-Key"
            ),
            400: ValidationErrorSerializer,
            403: OpenApiResponse(description="This pathway is not for your role"),
        },
    )
    def post(self, request: Request) -> Response:
        payload = SubmissionCreateSerializer(data=request.data)
        if not payload.is_valid():  # answered in the documented 400 shape, as below
            return _request_invalid(payload.errors)
        pathway = pathway_get(payload.validated_data["pathway"])
        assert pathway is not None
        key = None
        if request.headers.get("Idempotency-Key"):
            try:
                key = uuid.UUID(request.headers["Idempotency-Key"])
            except ValueError:
                return _request_invalid({"Idempotency-Key": "Send a UUID."})
        try:
            submission, created = services.submission_create(
                actor=request.user,
                pathway=pathway,  # type: ignore[arg-type]
                answers=payload.validated_data["answers"],
                today=clock.today(),
                idempotency_key=key,
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except services.PathwayRefused as refused:
            raise PermissionDenied(str(refused)) from None
        except services.IdempotencyConflict as conflict:
            return Response({"detail": str(conflict)}, status=status.HTTP_409_CONFLICT)
        except services.SubmissionRefused as refused:
            return Response(
                {
                    "detail": str(refused),
                    "errors": {
                        **refused.invalid.errors,
                        **refused.reasons_missing,
                        **{r.requirement.id: r.requirement.failure for r in refused.blocked},
                    },
                    "conditions": [r.as_json() for r in refused.results],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            SubmissionDetailSerializer(submission).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class SubmissionDetailView(APIView):
    @extend_schema(
        summary="One Digital Front Door submission", responses=SubmissionDetailSerializer
    )
    def get(self, request: Request, reference: str) -> Response:
        submission = submission_get_for(request.user, reference)  # type: ignore[arg-type]
        return Response(SubmissionDetailSerializer(submission).data)


class PathwayListView(APIView):
    @extend_schema(
        summary="The eleven pathways' questions, conditions and rules",
        responses=PathwaySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return Response([describe_pathway(pathway) for pathway in all_pathways()])
