"""Sign-in that holds: the two-factor step, session timeouts, and no caching of pages.

- TwoFactorMiddleware: a signed-in session that must confirm a code (authority staff, or
  anyone enrolled) and has not yet done so reaches only the code step and sign-out.
- SessionTimeoutMiddleware: a session ends after SESSION_IDLE_TIMEOUT seconds without a
  request, and SESSION_ABSOLUTE_TIMEOUT seconds after signing in, whatever the activity.
- NoStoreMiddleware: every response the application draws says `Cache-Control: no-store`
  (static files are answered by WhiteNoise before it and keep their long cache).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from kpas.site.two_factor_services import ENROLLED_SESSION_KEY, is_verified, two_factor_required

# What an unverified session may still open: the code steps themselves and signing out.
TWO_FACTOR_OPEN_URL_NAMES = frozenset(
    {"two-factor-code", "two-factor-set-up", "logout", "accessibility", "healthz"}
)
SESSION_STARTED_KEY = "kpas_session_started"
SESSION_LAST_SEEN_KEY = "kpas_session_last_seen"
# The last-seen time is written at most this often, so reading pages does not write the
# session on every request.
LAST_SEEN_RESOLUTION = 60

Handler = Callable[[HttpRequest], HttpResponse]


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


class TwoFactorMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or is_verified(user):
            return None
        if not (two_factor_required(user) or request.session.get(ENROLLED_SESSION_KEY)):
            return None
        match = request.resolver_match
        if (
            match is not None
            and not match.namespace
            and match.url_name in TWO_FACTOR_OPEN_URL_NAMES
        ):
            return None
        if _is_api(request):
            return JsonResponse(
                {"detail": "Enter the code from your authenticator app to finish signing in."},
                status=403,
            )
        url = reverse("two-factor-code")
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(url)


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            expired = self._expired(request)
            if expired:
                logout(request)
                if _is_api(request):
                    return JsonResponse({"detail": expired}, status=401)
                messages.info(request, expired)
                return HttpResponseRedirect(
                    reverse(settings.LOGIN_URL) + "?" + urlencode({"next": request.get_full_path()})
                )
        return self.get_response(request)

    @staticmethod
    def _expired(request: HttpRequest) -> str:
        """Why the session has ended ("" if it has not); notes this request's time."""
        now = time.time()
        session = request.session
        started = session.get(SESSION_STARTED_KEY)
        last_seen = session.get(SESSION_LAST_SEEN_KEY)
        if started is None or last_seen is None:  # a session from before timeouts were kept
            session[SESSION_STARTED_KEY] = started or now
            session[SESSION_LAST_SEEN_KEY] = now
            return ""
        if now - float(started) > settings.SESSION_ABSOLUTE_TIMEOUT:
            hours = settings.SESSION_ABSOLUTE_TIMEOUT / 3600
            return f"You were signed out because you signed in more than {hours:g} hours ago."
        if now - float(last_seen) > settings.SESSION_IDLE_TIMEOUT:
            minutes = settings.SESSION_IDLE_TIMEOUT / 60
            return f"You were signed out after {minutes:g} minutes without using the service."
        if now - float(last_seen) >= LAST_SEEN_RESOLUTION:
            session[SESSION_LAST_SEEN_KEY] = now
        return ""


def start_session_clock(request: HttpRequest) -> None:
    """At sign-in: both timeouts count from now."""
    now = time.time()
    request.session[SESSION_STARTED_KEY] = now
    request.session[SESSION_LAST_SEEN_KEY] = now


class NoStoreMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
