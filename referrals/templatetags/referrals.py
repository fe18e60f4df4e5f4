"""Template helpers for the Digital Front Door pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from referrals.engine.fields import format_date, lower_first
from referrals.rules import OPEN_STATUSES, Status
from referrals.selectors import (
    draft_list_for,
    submission_list_for,
    team_list_for,
    team_queue_for,
)

register = template.Library()
INTERNAL_SOURCES = ("DOMAIN", "DESIGN", "STYLE", "ADR")

STATUS_TAGS = {
    Status.DRAFT: "govuk-tag--grey",
    Status.SUBMITTED: "govuk-tag--blue",
    Status.TRIAGED: "govuk-tag--yellow",
    Status.CLOSED: "govuk-tag--green",
}
OUTCOME_TAGS = {
    "met": ("Met", "govuk-tag--green"),
    "not_met": ("Not met", "govuk-tag--red"),
    "unknown": ("Not checked yet", "govuk-tag--grey"),
}


@register.filter
def public_source(source: str) -> str:
    """The sources a page cites: the handbook, regulations and statute, never our internal
    design notes (DOMAIN.md, docs/). "KSAH §15 iv; DOMAIN §5" -> "KSAH §15 iv"."""
    parts = [part.strip() for part in str(source or "").split(";")]
    return "; ".join(
        part
        for part in parts
        if part and not part.startswith(INTERNAL_SOURCES) and "docs/" not in part
    )


@register.filter
def isodate(value: Any) -> str:
    """'2026-11-20' as '20 November 2026'."""
    return format_date(str(value)) if value else ""


@register.filter
def without_final_stop(value: Any) -> str:
    """A quoted sentence without its own full stop, for a sentence that ends after the quote:
    'agreed: “Attend daily.”.' reads 'agreed: “Attend daily”.'"""
    return str(value or "").rstrip().rstrip(".")


@register.filter
def status_tag(status: str) -> str:
    return STATUS_TAGS.get(status, "govuk-tag--grey")  # type: ignore[call-overload]


@register.filter
def status_label(status: str) -> str:
    try:
        return str(Status(status).label)
    except ValueError:
        return status


@register.filter
def outcome_label(outcome: Any) -> str:
    return OUTCOME_TAGS.get(str(outcome), ("", ""))[0]


@register.filter
def outcome_tag(outcome: Any) -> str:
    return OUTCOME_TAGS.get(str(outcome), ("", "govuk-tag--grey"))[1]


@register.filter
def session_label(session: str) -> str:
    return {"AM": "Morning", "PM": "Afternoon"}.get(session, session)


@register.inclusion_tag("referrals/includes/pupil_submissions.html", takes_context=True)
def pupil_submissions(context: template.Context, pupil: Any) -> dict[str, Any]:
    """The pupil record's "Submissions and cases": what the user may see about this pupil."""
    request = context.get("request")
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated and pupil is not None:
        items = list(submission_list_for(user).filter(pupil=pupil).order_by("-submitted_at")[:50])
    return {"items": items, "pupil": pupil}


# Abbreviations a screen reader may say as a word: spelled out in visually hidden link text.
SPOKEN_ABBREVIATIONS = {
    "UPN": "unique pupil number",
    "EHCP": "education, health and care plan",
    "URN": "unique reference number",
}


@register.filter
def spoken(label: Any) -> str:
    """A row's label as the hidden end of a link ("Change <spoken>"): sentence case, an
    acronym kept in capitals, a bare abbreviation spelled out first ("UPN" -> "unique pupil
    number (UPN)"), so the link reads as words."""
    text = str(label)
    short = text.strip()
    if short in SPOKEN_ABBREVIATIONS:
        return f"{SPOKEN_ABBREVIATIONS[short]} ({short})"
    return lower_first(text)


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    return mapping.get(key, "") if isinstance(mapping, dict) else ""


@register.filter
def when(value: Any) -> str:
    """A moment as GOV.UK writes it: '23 November 2026 at 2:09pm'."""
    if not value:
        return ""
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{format_date(local.date().isoformat())} at {hour}:{local:%M}{suffix}"


@register.inclusion_tag("referrals/includes/school_summary.html", takes_context=True)
def dfd_school_summary(context: template.Context) -> dict[str, Any]:
    """For school staff's home page: drafts, and what the school has sent recently."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    sent = submission_list_for(user)
    return {
        "show": True,
        "drafts": draft_list_for(user).count(),
        "open": sent.filter(status__in=OPEN_STATUSES).count(),
        "recent": list(sent.order_by("-submitted_at")[:5]),
    }


@register.inclusion_tag("referrals/includes/queue_summary.html", takes_context=True)
def dfd_queue_summary(context: template.Context) -> dict[str, Any]:
    """For the authority's staff's home pages: what waits in their teams' queues."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated or not user.is_authority_staff:
        return {"show": False}
    # One statement for the three counts: the queue's query is long to build and to plan,
    # and every staff home page shows it (issue 14: the officer's home <= 100 ms).
    counts = (
        team_queue_for(user)
        .order_by()
        .aggregate(
            waiting=Count("pk", filter=Q(status=Status.SUBMITTED)),
            open=Count("pk"),
            mine=Count("pk", filter=Q(allocated_officer=user)),
        )
    )
    return {"show": True, "teams": list(team_list_for(user)), **counts}
