"""`{{ value|percent }}`: a rate to one decimal place with a % sign, or a dash when there is
none. A filter rather than an included template: a county table renders thousands."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    return "\u2013" if value is None else f"{value:.1f}%"
