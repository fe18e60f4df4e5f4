"""Application errors to HTTP, in one place: a GOV.UK error page for the web, a JSON body
with a stable code for the API. Unexpected exceptions are left to Django (500)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kpas.base.errors import ApplicationError, NotFound, ServiceBusy


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: {"code", "detail"} with the error's status."""
    if isinstance(exc, ApplicationError) and not isinstance(exc, NotFound):
        refused = Response({"code": exc.code, "detail": exc.message}, status=exc.status)
        if isinstance(exc, ServiceBusy):
            refused["Retry-After"] = str(exc.retry_after)
        return refused
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, NotFound):
        response.data = {"code": exc.code, "detail": "Not found."}
    return response


class ApplicationErrorMiddleware:
    """Renders an ApplicationError raised by a view as the GOV.UK error page with its message
    in an error summary. NotFound is a 404 like any other (Django's handler404)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound) or not isinstance(exception, ApplicationError):
            return None
        if isinstance(exception, ServiceBusy):
            response = render(
                request, "service_busy.html", {"message": exception.message}, status=503
            )
            response["Retry-After"] = str(exception.retry_after)
            return response
        return render(
            request,
            "application_error.html",
            {"message": exception.message, "code": exception.code},
            status=exception.status,
        )


NUL_IN_REQUEST = (
    "The address contains a NUL character (%00), which no address or value may contain."
)


class HostileInputMiddleware:
    """A NUL character anywhere in the path or the query is a 400 with a clear message
    (issue 15 item 2): PostgreSQL cannot store or compare it, so it would otherwise be a 500
    from whichever query met it first. Forms and the API's JSON refuse it themselves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "invalid", "detail": NUL_IN_REQUEST}, status=400)
            return render(
                request,
                "application_error.html",
                {"message": NUL_IN_REQUEST, "code": "invalid"},
                status=400,
            )
        return self.get_response(request)
