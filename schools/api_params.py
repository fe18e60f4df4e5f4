"""Query parameters the registers API shares: dates, booleans, `as_of`."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from kpas.base.api_parsers import request_date


def bool_param(request: Request, name: str) -> bool | None:
    raw = request.query_params.get(name, "").strip().lower()
    if raw == "":
        return None
    if raw in {"true", "1", "yes"}:
        return True
    if raw in {"false", "0", "no"}:
        return False
    raise ValidationError({name: "Use true or false."})


def date_param(request: Request, name: str, default: date) -> date:
    raw = request.query_params.get(name, "").strip()
    try:
        return request_date(raw) if raw else default
    except ValueError as exc:
        raise ValidationError({name: str(exc)}) from None


def as_of_param(request: Request) -> date:
    return date_param(request, "as_of", timezone.localdate())


AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, description="Figures as on this day (default: today)"
)
