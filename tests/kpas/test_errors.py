"""Application errors are mapped once: a GOV.UK page for the web, a coded body for the API."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from rest_framework.exceptions import NotFound as DrfNotFound

from kpas.base.errors import ApplicationError, Conflict, NotFound
from kpas.base.http_errors import ApplicationErrorMiddleware, api_exception_handler


def test_not_found_is_a_django_404():
    from django.http import Http404

    assert isinstance(NotFound(), Http404)


def test_api_maps_a_conflict_to_409_with_its_code():
    response = api_exception_handler(Conflict("Already sent", code="already-sent"), {})
    assert response is not None
    assert response.status_code == 409
    assert response.data == {"code": "already-sent", "detail": "Already sent"}


def test_api_not_found_says_nothing_of_the_record():
    response = api_exception_handler(NotFound("No such pupil with UPN X"), {})
    assert response is not None
    assert response.status_code == 404
    assert response.data == {"code": "not-found", "detail": "Not found."}


def test_api_leaves_drf_errors_to_drf():
    response = api_exception_handler(DrfNotFound(), {})
    assert response is not None and response.status_code == 404


@pytest.mark.django_db
def test_web_renders_the_message_in_an_error_summary():
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    middleware = ApplicationErrorMiddleware(lambda r: HttpResponse())
    response = middleware.process_exception(request, ApplicationError("Select a school"))
    assert response is not None
    assert response.status_code == 400
    assert b"govuk-error-summary" in response.content
    assert b"Select a school" in response.content
    assert middleware.process_exception(request, NotFound()) is None
    assert middleware.process_exception(request, ValueError()) is None
