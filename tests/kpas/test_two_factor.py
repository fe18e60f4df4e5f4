"""Two-factor sign-in (issue 15, item 4): authority staff confirm a code after the password.

These tests sign in through the real sign-in page (a POST to /sign-in/), never through the
test client's force_login, which tests/conftest.py verifies for the other tests.
"""

from __future__ import annotations

import base64
import re
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kpas.base.demo_accounts import DEMO_TOTP_SECRET
from kpas.base.roles import AUTHORITY_ROLES, SCHOOL_ROLES, Role
from kpas.site import two_factor_services
from kpas.site.two_factor_views import THROTTLED, WRONG_CODE
from tests.factories import UserFactory
from tests.two_factor import code_to_type, device_for

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
CODE_STEP = "/sign-in/code/"
SET_UP = "/sign-in/set-up-app/"


def key_from(secret: str) -> bytes:
    """The key an authenticator app gets from the key typed in (base32, spaces ignored)."""
    text = secret.replace(" ", "")
    return base64.b32decode(text + "=" * (-len(text) % 8))


def password_sign_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    response = client.post("/sign-in/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


@pytest.mark.parametrize("role", sorted(AUTHORITY_ROLES), ids=str)
def test_every_authority_role_must_set_up_an_app_before_any_page(role):
    user = UserFactory(role=role)
    client = password_sign_in(user)

    for path in ("/", "/schools/", "/cases/", "/penalties/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(f"{CODE_STEP}?next="), path
    # The code step sends an account with no app to set one up, keeping where it was going.
    response = client.get(f"{CODE_STEP}?next=/schools/")
    assert response.status_code == 302
    assert response["Location"] == f"{SET_UP}?next=%2Fschools%2F"
    # The API answers 403, not a page.
    response = client.get("/api/v1/schools/")
    assert response.status_code == 403
    assert "authenticator" in response.json()["detail"]


def test_setting_up_shows_a_qr_code_and_the_key_then_takes_the_first_code():
    user = UserFactory(role=Role.ATTENDANCE_OFFICER)
    client = password_sign_in(user)

    page = client.get(f"{SET_UP}?next=/schools/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<h1 class="govuk-heading-l">Set up your authenticator app</h1>' in html
    assert '<svg role="img" aria-label="QR code to scan with your authenticator app"' in html
    assert "<script" not in html.split("<main")[1].split("</main>")[0]  # drawn on the server
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', html).group(1)  # type: ignore[union-attr]
    field = re.search(r"<input[^>]*name=\"code\"[^>]*>", html, re.S).group(0)  # type: ignore[union-attr]
    assert 'autocomplete="one-time-code"' in field and 'inputmode="numeric"' in field
    assert '<label class="govuk-label" for="id_code">Security code</label>' in html
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    key = device.bin_key
    assert key_from(secret) == key

    wrong = client.post(SET_UP, {"code": "000000" if totp(key) else "111111", "next": "/schools/"})
    assert wrong.status_code == 200
    assert WRONG_CODE in wrong.content.decode()
    assert client.get("/schools/").status_code == 302  # still not in
    time.sleep(1.1)  # django-otp refuses every code for a second after a wrong one

    response = client.post(SET_UP, {"code": f"{totp(key):06d}", "next": "/schools/"})
    assert response.status_code == 302 and response["Location"] == "/schools/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/schools/").status_code == 200


def test_an_enrolled_account_enters_its_code_and_each_code_works_once():
    user = UserFactory(role=Role.COURTS_TEAM)
    device = device_for(user)
    first = password_sign_in(user)
    assert first.get("/penalties/")["Location"] == f"{CODE_STEP}?next=%2Fpenalties%2F"
    page = first.get(f"{CODE_STEP}?next=/penalties/").content.decode()
    assert "Enter your security code" in page

    code = two_factor_services.current_code(device)
    response = first.post(CODE_STEP, {"code": code[:3] + " " + code[3:], "next": "/penalties/"})
    assert response.status_code == 302 and response["Location"] == "/penalties/"
    assert first.get("/penalties/").status_code == 200

    # Someone who saw the code (and knows the password) cannot reuse it in another session.
    second = password_sign_in(user)
    replay = second.post(CODE_STEP, {"code": code, "next": "/"})
    assert replay.status_code == 200
    assert second.get("/").status_code == 302


def test_a_stolen_password_cannot_set_up_a_second_app():
    user = UserFactory(role=Role.SERVICE_ADMIN, is_staff=True, is_superuser=True)
    device_for(user)
    client = password_sign_in(user)

    response = client.get(SET_UP)
    assert response.status_code == 302 and response["Location"].startswith(CODE_STEP)
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_wrong_codes_slow_down_guessing():
    user = UserFactory(role=Role.AREA_MANAGER)
    device = device_for(user)
    client = password_sign_in(user)
    right = two_factor_services.current_code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    assert WRONG_CODE in client.post(CODE_STEP, {"code": wrong}).content.decode()
    # Straight after a wrong code even the right one is refused for a while (django-otp).
    assert THROTTLED in client.post(CODE_STEP, {"code": right}).content.decode()
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_a_code_that_is_not_six_digits_is_refused_with_a_clear_error(code):
    user = UserFactory(role=Role.CME_TEAM)
    device_for(user)
    client = password_sign_in(user)

    html = client.post(CODE_STEP, {"code": code}).content.decode()
    assert "There is a problem" in html
    assert (
        "Enter the 6-digit code from your authenticator app" in html
        or "The code must be 6 digits, like 123456" in html
    )


def test_the_code_step_never_sends_people_to_another_site():
    user = UserFactory(role=Role.EHE_TEAM)
    device = device_for(user)
    client = password_sign_in(user)

    response = client.post(
        CODE_STEP,
        {"code": two_factor_services.current_code(device), "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.parametrize("role", sorted(SCHOOL_ROLES), ids=str)
def test_school_staff_need_no_app_but_once_enrolled_must_use_it(role):
    user = UserFactory(role=role)
    client = password_sign_in(user)
    assert client.get("/").status_code == 200  # optional for school roles

    # They may set one up; from then on their sign-ins ask for the code.
    page = client.get(SET_UP).content.decode()
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', page).group(1)  # type: ignore[union-attr]
    key = key_from(secret)
    assert client.post(SET_UP, {"code": f"{totp(key):06d}"}).status_code == 302

    again = password_sign_in(user)
    assert again.get("/")["Location"].startswith(CODE_STEP)
    code = code_to_type(TOTPDevice.objects.get(user=user))
    assert again.post(CODE_STEP, {"code": code}).status_code == 302
    assert again.get("/").status_code == 200


def test_force_login_in_tests_gives_a_verified_session_with_a_real_device(client):
    user = UserFactory(role=Role.ATTENDANCE_OFFICER)
    client.force_login(user)  # tests/conftest.py: as if the code had been entered

    assert client.get("/").status_code == 200
    assert TOTPDevice.objects.get(user=user).confirmed


def test_demo_totp_prints_the_code_a_demo_accounts_app_shows():
    user = UserFactory(email="ao.test@demo.kpas.test", role=Role.ATTENDANCE_OFFICER)
    out = StringIO()
    call_command("demo_totp", user.email, stdout=out)

    code = out.getvalue().strip()
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    assert device.bin_key == key_from(DEMO_TOTP_SECRET)
    client = password_sign_in(user)
    assert client.post(CODE_STEP, {"code": code}).status_code == 302
    assert client.get("/").status_code == 200


def test_demo_totp_refuses_accounts_outside_the_demo():
    UserFactory(email="real.officer@example.test", role=Role.ATTENDANCE_OFFICER)
    with pytest.raises(Exception, match="not a demo account"):
        call_command("demo_totp", "real.officer@example.test", stdout=StringIO())
