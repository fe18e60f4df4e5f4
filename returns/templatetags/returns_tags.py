"""The reminder on a school's home page: pupils waiting to be returned, and how many late."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from schools.selectors import school_list_for

register = template.Library()


@register.inclusion_tag("returns/includes/home_reminder.html", takes_context=True)
def returns_reminder(context: template.Context) -> dict[str, Any]:
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return {"schools": []}
    today = timezone.localdate()
    rows = (
        school_list_for(user)
        .annotate(
            to_return=Count("return_entries", filter=Q(return_entries__status="due")),
            overdue=Count(
                "return_entries",
                filter=Q(return_entries__status="due", return_entries__due_on__lt=today),
            ),
        )
        .order_by("name")[:20]
    )
    return {"schools": list(rows)}
