"""The service navigation each role sees. Items appear as their features are built."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from kpas.roles import SCHOOL_ROLES


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool = False


def navigation_for(request: HttpRequest) -> list[NavItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = [("Home", reverse("home"))]
    items.append(("Your school" if user.role in SCHOOL_ROLES else "Schools", reverse("schools")))
    if user.is_staff:
        items.append(("Administration", reverse("admin:index")))
    path = request.path
    return [
        NavItem(label, url, active=(path == url if url == "/" else path.startswith(url)))
        for label, url in items
    ]
