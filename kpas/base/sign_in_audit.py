"""Sign-ins and failed sign-ins in the audit log, from Django's own signals.

Whatever the sign-in page becomes (a password, then a second factor), Django announces each
success (`user_logged_in`) and each failure (`user_login_failed`); these receivers record them.
A failure records the username tried and the address it came from, never the password: the
credentials Django passes are not read beyond the username.
"""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.http import HttpRequest

from kpas.base.audit import AuditAction, audit_record
from kpas.base.models import User

USERNAME_MAX = 254  # an email address at most; longer input is cut, not stored whole


def client_address(request: HttpRequest | None) -> str:
    """The client's address as the lockout sees it (django-axes, which honours the
    trusted-proxy settings), else the socket's."""
    if request is None:
        return ""
    try:
        address = get_client_ip_address(request)
    except Exception:  # a malformed forwarding header must not stop the sign-in
        address = None
    return str(address or request.META.get("REMOTE_ADDR") or "")


def on_signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    audit_record(
        actor=user,
        action=AuditAction.SIGNED_IN,
        obj=user,
        detail={"address": client_address(request)},
    )


def on_sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    tried = str(credentials.get("username") or credentials.get("email") or "")
    audit_record(
        actor=None,
        action=AuditAction.SIGN_IN_FAILED,
        detail={"username": tried[:USERNAME_MAX], "address": client_address(request)},
    )


def connect() -> None:
    user_logged_in.connect(on_signed_in, dispatch_uid="kpas.audit.signed_in")
    user_login_failed.connect(on_sign_in_failed, dispatch_uid="kpas.audit.sign_in_failed")
