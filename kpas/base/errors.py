"""The application's error vocabulary, mapped once to HTTP for the web and the API.

Services raise `ApplicationError` subclasses with a stable code and a message in GOV.UK
wording (say what happened and how to fix it); selectors raise `NotFound` for a record that
is missing *or* outside the user's scope, so existence never leaks (STYLE: Zulip's access
helpers). `kpas.base.http_errors` turns them into pages and API responses.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404


class ApplicationError(Exception):
    """A request the service refuses, with a stable code tests and clients can rely on."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, **detail: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.detail = detail


class Conflict(ApplicationError):
    """The record is not in a state that allows this (an illegal transition, a double send)."""

    status = 409
    code = "conflict"


class NotFound(ApplicationError, Http404):
    """No such record for this user: missing and out of scope look the same.

    A subclass of Django's Http404, so Django's 404 page and DRF's 404 both apply unchanged.
    """

    status = 404
    code = "not-found"

    def __init__(self, message: str = "Page not found", **detail: Any) -> None:
        super().__init__(message, **detail)


class ServiceBusy(ApplicationError):
    """A service the request needs (the task queue) cannot be reached just now. Nothing the
    person sent is lost: the page says so and asks them to try again later (503)."""

    status = 503
    code = "service-busy"
    retry_after = 60  # seconds, sent as Retry-After
