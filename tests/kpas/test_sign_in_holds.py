"""Sign-in that holds (issue 15, item 4): lockout, proxies, session timeouts, reset links,
and disabled accounts. Sign-ins here go through the real sign-in page."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory

from kpas.base.roles import Role
from kpas.site.lockout import client_address
from kpas.site.middleware import SESSION_LAST_SEEN_KEY, SESSION_STARTED_KEY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
LOCKED = 429  # django-axes 8's answer to a locked-out sign-in


def attempt(user, password: str, address: str, **headers: str) -> int:  # type: ignore[no-untyped-def]
    response = Client().post(
        "/sign-in/",
        {"username": user.email, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )
    return response.status_code


def shift_attempts_back(minutes: float) -> None:
    """As if `minutes` had passed since every failure recorded so far."""
    for row in AccessAttempt.objects.all():
        row.attempt_time = row.attempt_time - timedelta(minutes=minutes)
        row.save(update_fields=["attempt_time"])


# Lockout ----------------------------------------------------------------------------------


def test_five_failures_lock_the_account_from_that_address_only():
    user = UserFactory(role=Role.HEADTEACHER)
    for _ in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        attempt(user, "wrong-password-here", "10.0.0.1")

    assert attempt(user, PASSWORD, "10.0.0.1") == LOCKED
    # A colleague's typing in one office does not lock the account everywhere.
    assert attempt(user, PASSWORD, "10.0.0.2") == 302


def test_guessing_one_account_from_many_addresses_locks_it_everywhere():
    user = UserFactory(role=Role.ATTENDANCE_OFFICER)
    limit = settings.AXES_ACCOUNT_FAILURE_LIMIT
    assert limit > settings.AXES_ADDRESS_FAILURE_LIMIT
    for n in range(limit - 1):  # one wrong password from each of many addresses
        assert attempt(user, "wrong-password-here", f"10.1.{n // 250}.{n % 250 + 1}") == 200
    assert attempt(user, "wrong-password-here", "10.1.9.9") == LOCKED  # the limit reached

    assert attempt(user, PASSWORD, "10.2.0.1") == LOCKED  # an address never seen before


def test_an_attacker_trying_during_the_cool_off_cannot_keep_the_owner_out():
    user = UserFactory(role=Role.COURTS_TEAM)
    for _ in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        attempt(user, "wrong-password-here", "10.0.0.9")
    cool_off_minutes = settings.AXES_COOLOFF_TIME * 60

    shift_attempts_back(cool_off_minutes - 10)
    for _ in range(3):  # the attacker keeps trying while the account is locked ...
        assert attempt(user, "wrong-password-here", "10.0.0.9") == LOCKED
    shift_attempts_back(11)  # ... and the cool-off, counted from the lockout, has ended

    assert attempt(user, PASSWORD, "10.0.0.9") == 302


def test_behind_a_trusted_proxy_the_clients_own_address_is_counted(settings):  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory(role=Role.HEADTEACHER)
    proxy = "10.9.9.9"
    for _ in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        attempt(user, "wrong-password-here", proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    # Locked for that client, whatever it puts in front of the proxy's entry ...
    assert attempt(user, PASSWORD, proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7") == LOCKED
    # ... but not for every other client behind the same proxy.
    assert attempt(user, PASSWORD, proxy, HTTP_X_FORWARDED_FOR="198.51.100.4") == 302


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored():
    user = UserFactory(role=Role.HEADTEACHER)
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        attempt(user, "wrong-password-here", "10.0.0.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    assert attempt(user, PASSWORD, "10.0.0.5", HTTP_X_FORWARDED_FOR="192.0.2.99") == LOCKED


@pytest.mark.parametrize(
    ("count", "trusted", "remote", "forwarded", "expected"),
    [
        (0, [], "10.0.0.1", "203.0.113.7", "10.0.0.1"),
        (1, [], "10.0.0.1", "203.0.113.7", "203.0.113.7"),
        (1, [], "10.0.0.1", "6.6.6.6, 203.0.113.7", "203.0.113.7"),
        (2, [], "10.0.0.2", "6.6.6.6, 203.0.113.7, 10.0.0.1", "203.0.113.7"),
        (2, [], "10.0.0.1", "203.0.113.7", "10.0.0.1"),  # fewer entries than proxies
        (1, [], "10.0.0.1", "not-an-address", "10.0.0.1"),
        (1, ["10.0.0.1"], "10.0.0.1", "203.0.113.7", "203.0.113.7"),
        (1, ["10.0.0.1"], "198.51.100.1", "203.0.113.7", "198.51.100.1"),  # not our proxy
    ],
)
def test_client_address(settings, count, trusted, remote, forwarded, expected):  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXY_COUNT = count
    settings.TRUSTED_PROXY_ADDRESSES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


# Session timeouts -------------------------------------------------------------------------


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    assert client.get("/").status_code == 200
    return client


def set_clock(client: Client, *, started_ago: float, last_seen_ago: float) -> None:
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - started_ago
    session[SESSION_LAST_SEEN_KEY] = time.time() - last_seen_ago
    session.save()


def test_a_session_left_idle_ends():
    client = signed_in(UserFactory(role=Role.HEADTEACHER))
    set_clock(client, started_ago=3600, last_seen_ago=settings.SESSION_IDLE_TIMEOUT + 5)

    response = client.get("/schools/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without using the service." in page


def test_using_the_service_keeps_the_session_alive():
    client = signed_in(UserFactory(role=Role.HEADTEACHER))
    set_clock(client, started_ago=3600, last_seen_ago=settings.SESSION_IDLE_TIMEOUT - 60)

    assert client.get("/").status_code == 200
    assert time.time() - client.session[SESSION_LAST_SEEN_KEY] < 5


def test_a_session_ends_hours_after_signing_in_however_busy():
    client = signed_in(UserFactory(role=Role.AREA_MANAGER))
    set_clock(client, started_ago=settings.SESSION_ABSOLUTE_TIMEOUT + 5, last_seen_ago=1)

    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    api = signed_in(UserFactory(role=Role.HEADTEACHER))
    set_clock(api, started_ago=settings.SESSION_ABSOLUTE_TIMEOUT + 5, last_seen_ago=1)
    assert api.get("/api/v1/schools/").status_code == 401


def test_timeouts_are_settings():
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_ABSOLUTE_TIMEOUT == 8 * 3600
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_ABSOLUTE_TIMEOUT


# Password reset links ---------------------------------------------------------------------


class TokensAt(PasswordResetTokenGenerator):
    def __init__(self, now: datetime) -> None:
        super().__init__()
        self.now = now

    def _now(self) -> datetime:
        return self.now


def test_a_password_reset_link_works_for_an_hour_only():
    user = UserFactory(role=Role.HEADTEACHER)
    made = datetime(2026, 11, 20, 9, 0)
    token = TokensAt(made).make_token(user)

    assert TokensAt(made + timedelta(minutes=59)).check_token(user, token)
    assert not TokensAt(made + timedelta(minutes=61)).check_token(user, token)


# Disabled accounts ------------------------------------------------------------------------


def sessions_of(user) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        s.session_key
        for s in Session.objects.all()
        if str(s.get_decoded().get(SESSION_KEY)) == str(user.pk)
    ]


def test_disabling_an_account_ends_all_its_sessions():
    user = UserFactory(role=Role.ATTENDANCE_OFFICER)
    other = UserFactory(role=Role.HEADTEACHER)
    laptop, phone, colleague = signed_in(user), signed_in(user), signed_in(other)
    assert len(sessions_of(user)) == 2

    user.is_active = False
    user.save()

    assert sessions_of(user) == []
    assert len(sessions_of(other)) == 1  # nobody else is signed out
    # Turning it back on does not bring the old sessions back.
    user.is_active = True
    user.save()
    for client in (laptop, phone):
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    assert colleague.get("/").status_code == 200
