"""Two lockout limits for django-axes: per account from one address, and per account overall.

axes counts failures per parameter set (AXES_LOCKOUT_PARAMETERS: the account from one
address, and the account from anywhere) and compares the largest count with one limit. The
account's count from anywhere is always the largest, so a single number would make the
per-address limit meaningless. This limit (settings.AXES_FAILURE_LIMIT names it) answers:

- AXES_ADDRESS_FAILURE_LIMIT failures from this address within the cool-off: locked here;
- otherwise the account locks everywhere at AXES_ACCOUNT_FAILURE_LIMIT failures in all.

A school office behind one address is not locked out by a colleague's typing, and guessing
one account's password from many addresses is still stopped.

`client_address` is the address axes counts (settings.AXES_CLIENT_IP_CALLABLE): behind
TRUSTED_PROXY_COUNT reverse proxies it is the one the outermost of them saw.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def failures_from_address(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    attempts = AccessAttempt.objects.filter(
        username=get_client_username(request, credentials),
        ip_address=getattr(request, "axes_ip_address", None),
    )
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


def failure_limit(request: HttpRequest | None, credentials: dict[str, Any] | None) -> int:
    address_limit = int(settings.AXES_ADDRESS_FAILURE_LIMIT)
    if request is None:
        return address_limit
    if failures_from_address(request, credentials) >= address_limit:
        return address_limit  # axes' count (the account's, never smaller) reaches it: locked
    return int(settings.AXES_ACCOUNT_FAILURE_LIMIT)


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's real address.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For,
    so with N proxies the client is the N-th entry from the right; anything to its left was
    sent by the client and is ignored. Without trusted proxies (the default) the header is
    ignored altogether: anyone can send it. With TRUSTED_PROXY_ADDRESSES set, the header is
    believed only from a connection from one of them."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if count <= 0:
        return remote
    trusted = getattr(settings, "TRUSTED_PROXY_ADDRESSES", [])
    if trusted and remote not in trusted:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part]
    if len(forwarded) < count:
        return remote
    return _valid(forwarded[-count]) or remote
