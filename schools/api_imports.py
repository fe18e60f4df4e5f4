"""Imports through the API, for MIS integrations: the same services as browser uploads.

POST a file; small files are checked at once, large ones by a Celery task. A checked file
is applied when confirmed — in the same request with `confirm=true` for a small file, or
by POSTing to its confirm URL. Scoped like the web: a school's staff send their own
school's files; service administrators also the authority's (calendar, schools).
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from kpas.base.models import User
from schools.import_registry import UnknownImportKind, import_kind_get
from schools.models import ImportBatch, School
from schools.selectors import school_get_for
from schools.upload_service import upload_confirm_apply, upload_submit
from schools.uploads import (
    import_batch_get_for,
    import_batch_list_for,
    upload_file_problem,
    upload_kinds_for,
)

MAX_ERRORS_SHOWN = 1000
NOT_ALLOWED = "You may not send {kind} files for {where}."


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.CharField(help_text="A kind in the import registry: marks, pupils, ctf, ...")
    school = serializers.CharField(
        required=False, help_text="The school's URN. Omit only for the authority's own files."
    )
    confirm = serializers.BooleanField(
        default=False,
        help_text="Apply a small file in this request if it passes the check.",
    )

    def validate_kind(self, value: str) -> str:
        try:
            return import_kind_get(value).kind
        except UnknownImportKind as exc:
            raise serializers.ValidationError(str(exc)) from None


class ImportBatchSerializer(serializers.ModelSerializer):
    school = serializers.CharField(source="school.urn", allow_null=True, default=None)
    errors = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    confirm_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "kind",
            "school",
            "filename",
            "status",
            "rows_total",
            "counts",
            "errors",
            "warnings",
            "created_at",
            "finished_at",
            "url",
            "confirm_url",
        ]

    def get_errors(self, batch: ImportBatch) -> list[str]:
        return list(batch.errors[:MAX_ERRORS_SHOWN])

    def get_url(self, batch: ImportBatch) -> str:
        return reverse("api-import", args=[batch.pk], request=self.context.get("request"))

    def get_confirm_url(self, batch: ImportBatch) -> str | None:
        if batch.status != ImportBatch.Status.PREVIEWED:
            return None
        return reverse("api-import-confirm", args=[batch.pk], request=self.context.get("request"))


def _batch_for(user: User, batch_id: int) -> ImportBatch:
    batch = ImportBatch.objects.select_related("school").filter(pk=batch_id).first()
    if batch is None:
        raise Http404("No such import.")
    return import_batch_get_for(user, batch_id, school=batch.school)


def _respond(request: Request, batch: ImportBatch) -> Response:
    batch.refresh_from_db()
    body = ImportBatchSerializer(batch, context={"request": request}).data
    finished = batch.status in {
        ImportBatch.Status.APPLIED,
        ImportBatch.Status.UNCHANGED,
        ImportBatch.Status.PREVIEWED,
    }
    if batch.status == ImportBatch.Status.REJECTED:
        return Response(body, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    return Response(body, status=status.HTTP_201_CREATED if finished else status.HTTP_202_ACCEPTED)


class ImportListCreateView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Files received for a school (or, for administrators, the authority)",
        responses=ImportBatchSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        urn = request.query_params.get("school")
        school = school_get_for(request.user, urn) if urn else None  # type: ignore[arg-type]
        batches = import_batch_list_for(request.user, school=school)[:100]  # type: ignore[arg-type]
        return Response(
            ImportBatchSerializer(batches, many=True, context={"request": request}).data
        )

    @extend_schema(
        summary="Send a register file (marks, pupils or CTF; calendar or schools for admins)",
        request={"multipart/form-data": ImportRequestSerializer},
        responses={
            201: OpenApiResponse(ImportBatchSerializer, description="Checked (and applied)"),
            202: OpenApiResponse(ImportBatchSerializer, description="Being checked: poll url"),
            422: OpenApiResponse(ImportBatchSerializer, description="Refused: every bad row"),
        },
    )
    def post(self, request: Request) -> Response:
        incoming = ImportRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        user: User = request.user  # type: ignore[assignment]
        school: School | None = school_get_for(user, data["school"]) if data.get("school") else None
        if data["kind"] not in upload_kinds_for(user, school):
            where = school.name if school else "the whole authority"
            raise PermissionDenied(NOT_ALLOWED.format(kind=data["kind"], where=where))
        problem = upload_file_problem(data["kind"], data["file"])
        if problem:
            raise ValidationError({"file": [problem]})
        batch = upload_submit(
            actor=user,
            school=school,
            kind=data["kind"],
            upload=data["file"],
            confirm=data["confirm"],
        )
        return _respond(request, batch)


class ImportDetailView(APIView):
    @extend_schema(summary="One file's status, counts and errors", responses=ImportBatchSerializer)
    def get(self, request: Request, batch_id: int) -> Response:
        batch = _batch_for(request.user, batch_id)  # type: ignore[arg-type]
        return Response(ImportBatchSerializer(batch, context={"request": request}).data)


class ImportConfirmView(APIView):
    @extend_schema(
        summary="Apply a checked file (once: a repeated confirm changes nothing)",
        request=None,
        responses={
            201: ImportBatchSerializer,
            202: ImportBatchSerializer,
            409: inline_serializer("ImportNotReady", {"detail": serializers.CharField()}),
        },
    )
    def post(self, request: Request, batch_id: int) -> Response:
        user: User = request.user  # type: ignore[assignment]
        batch = _batch_for(user, batch_id)
        if batch.status == ImportBatch.Status.PREVIEWED:
            upload_confirm_apply(actor=user, batch=batch)
        elif batch.status in {ImportBatch.Status.RECEIVED}:
            return Response(
                {"detail": "The file is still being checked: try again shortly."},
                status=status.HTTP_409_CONFLICT,
            )
        return _respond(request, batch)
