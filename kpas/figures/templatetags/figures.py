"""`{{ value|percent }}`: a rate to one decimal place with a % sign, or a dash when there is
none (also when the object holding it is missing: the template then passes ""). A filter
rather than an included template: a county table renders thousands."""

from __future__ import annotations

from django import template

register = template.Library()
NONE = "\u2013"


@register.filter
def percent(value: object) -> str:
    if value is None or value == "":
        return NONE
    return f"{float(value):.1f}%"  # type: ignore[arg-type]
