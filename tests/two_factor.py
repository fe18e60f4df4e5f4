"""Two-factor sign-in in tests: a real confirmed TOTP device and a session it verified.

tests/conftest.py applies `verify_client_session` to every test client sign-in
(`client.force_login`, `client.login`), so the many tests that sign in as authority staff
reach their pages as a person who has entered their code would. Production is unchanged:
the middleware still sends any unverified session to the code step (tests/kpas/
test_two_factor.py signs in through the real pages to prove it).
"""

from __future__ import annotations

import time
from typing import Any

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from kpas.site import two_factor_services

# The secret given to test accounts that have no device yet (base32, 20 bytes).
TEST_SECRET = "KPASTESTKPASTESTKPASTESTKPASTEST"


def device_for(user: Any) -> TOTPDevice:
    """The user's confirmed device, made with TEST_SECRET if they have none."""
    device = two_factor_services.confirmed_device(user)
    if device is None:
        device = two_factor_services.give_fixed_device(user, TEST_SECRET)
    return device


def verify_client_session(client: Any, user: Any) -> None:
    """Mark the client's signed-in session as verified by the user's device."""
    if not two_factor_services.two_factor_required(user):
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device_for(user).persistent_id
    session.save()


def code_to_type(device: TOTPDevice) -> str:
    """The code a person would type now. A code is accepted once: if this step's code was
    used already (a second sign-in within 30 seconds), the next step's code is accepted too
    (django-otp's tolerance of one step); past that, wait for a fresh step."""
    device.refresh_from_db()
    now_t = int((time.time() - device.t0) // device.step) + device.drift
    if device.last_t < now_t:
        return two_factor_services.current_code(device)
    if device.last_t == now_t and device.tolerance >= 1:
        return two_factor_services.current_code(device, steps_ahead=1)
    time.sleep(device.step)
    return code_to_type(device)
