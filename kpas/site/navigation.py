"""The service navigation each role sees. Items appear as their features are built."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from kpas.base.roles import AUTHORITY_ROLES, SCHOOL_ROLES, Role


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
    items.append(
        ("Your school" if user.role in SCHOOL_ROLES else "Schools", reverse("schools:list"))
    )
    # The Digital Front Door (referrals/): school staff send forms; officers work queues.
    if user.role in SCHOOL_ROLES:
        items.append(("Digital Front Door", reverse("referrals:index")))
        items.append(("Your submissions", reverse("referrals:submissions")))
    elif user.role in AUTHORITY_ROLES:
        items.append(("Referrals", reverse("referrals:queue")))
        items.append(("Returns", reverse("returns:compliance")))  # returns/: compliance view
    # Targeting Support Meetings (kpas/tsm): schools and their officers.
    if user.role in SCHOOL_ROLES or user.role in AUTHORITY_ROLES:
        items.append(("Meetings", reverse("tsm:diary")))
    if user.role in AUTHORITY_ROLES:
        items.append(("Dashboards", reverse("figures:county")))
    # Penalty notices (penalties/): the Courts Team's workspace.
    if user.role in (Role.COURTS_TEAM, Role.SERVICE_ADMIN):
        items.append(("Penalty notices", reverse("penalties:requests")))
        items.append(("Caseload", reverse("cases:caseload")))  # casework (referrals/cases)
    if user.is_staff:
        items.append(("Administration", reverse("admin:index")))
    path = request.path
    # One item is active: the longest that matches (/dfd/submissions/ is not /dfd/).
    matches = [url for _, url in items if (path == url if url == "/" else path.startswith(url))]
    current = max(matches, key=len, default=None)
    return [NavItem(label, url, active=url == current) for label, url in items]
