"""Two-factor sign-in (TOTP, django-otp): who must use it, enrolling, and checking a code.

Every authority role (and anyone who may use the admin site) must confirm a six-digit code
from an authenticator app after their password; school staff may enrol, and once enrolled
they are asked for a code too. A session counts as verified once django-otp has recorded
the device that accepted a code in it (`django_otp.login`); the middleware
(`kpas.site.middleware.TwoFactorMiddleware`) sends an unverified session to the code step.
"""

from __future__ import annotations

import base64
import io
import re
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kpas.base.models import User
from kpas.base.roles import AUTHORITY_ROLES

DEVICE_NAME = "Authenticator app"
# Set at sign-in: this account has a confirmed device, so its session needs a code even if
# its role does not require one (school staff who chose to enrol).
ENROLLED_SESSION_KEY = "kpas_two_factor_enrolled"
CODE_PATTERN = re.compile(r"^\d{6}$")


def two_factor_required(user: Any) -> bool:
    """Authority staff and admin-site users must verify a code after their password."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.role in AUTHORITY_ROLES or user.is_staff or user.is_superuser)


def is_verified(user: Any) -> bool:
    """True once this session's code was accepted (django-otp's OTPMiddleware decides)."""
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def normalise_code(code: str) -> str:
    """What people type: "123 456" or "123-456" is the code 123456."""
    return re.sub(r"[\s-]", "", code or "")


def secret_as_text(device: TOTPDevice) -> str:
    """The device's key as an authenticator app takes it typed in: base32, in groups of 4."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code, drawn on the server."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    # Drop the XML declaration so the SVG can sit inside the HTML page, and name the image.
    svg = re.sub(r"^<\?xml[^>]*\?>\s*", "", svg)
    return svg.replace(
        "<svg ", '<svg role="img" aria-label="QR code to scan with your authenticator app" ', 1
    )


def current_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the device shows now (or a step ahead): `demo_totp` and the tests use it."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


@transaction.atomic
def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device this user is enrolling (made once, kept until confirmed)."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False)
        .order_by("pk")
        .first()
    )
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


class CodeCheck:
    """The outcome of checking a code: accepted, wrong, or refused while throttled."""

    ACCEPTED = "accepted"
    WRONG = "wrong"
    THROTTLED = "throttled"


def _locked_device(user: User, *, confirmed: bool) -> TOTPDevice | None:
    """The user's first device in that state, locked for this transaction."""
    return (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=confirmed)
        .order_by("pk")
        .first()
    )


def _check(device: TOTPDevice | None, code: str) -> str:
    """A code against a device: wrong, throttled (django-otp's doubling delay after each
    wrong code) or accepted (and then never accepted again: replay is refused)."""
    if device is None:
        return CodeCheck.WRONG
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return CodeCheck.THROTTLED
    if not device.verify_token(normalise_code(code)):
        return CodeCheck.WRONG
    return CodeCheck.ACCEPTED


@transaction.atomic
def confirm_enrolment(request: HttpRequest, user: User, code: str) -> str:
    """Confirm the device being enrolled with its first code; the session is then verified."""
    device = _locked_device(user, confirmed=False)
    check = _check(device, code)
    if device is None or check != CodeCheck.ACCEPTED:
        return check
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    request.session[ENROLLED_SESSION_KEY] = True
    return CodeCheck.ACCEPTED


@transaction.atomic
def verify_code(request: HttpRequest, user: User, code: str) -> str:
    """Check a code against the user's confirmed device; on success the session is verified.

    django-otp refuses a code already used (replay) and, after each wrong code, refuses all
    codes for a doubling delay (its throttling), so six digits cannot be guessed."""
    device = _locked_device(user, confirmed=True)
    check = _check(device, code)
    if device is None or check != CodeCheck.ACCEPTED:
        return check
    otp_login(request, device)
    return CodeCheck.ACCEPTED


def remember_enrolment(request: HttpRequest, user: User) -> None:
    """At sign-in: note whether this account has a device, so its session must verify."""
    request.session[ENROLLED_SESSION_KEY] = has_confirmed_device(user)


@transaction.atomic
def give_fixed_device(user: User, secret_base32: str) -> TOTPDevice:
    """A confirmed device with a known secret (the demo accounts', documented in the README)."""
    key = base64.b32decode(secret_base32.replace(" ", "").upper()).hex()
    device, _ = TOTPDevice.objects.update_or_create(
        user=user,
        name=DEVICE_NAME,
        defaults={"key": key, "confirmed": True},
    )
    return device
