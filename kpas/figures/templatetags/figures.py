"""`{{ value|percent }}`: a rate to one decimal place with a % sign, or a dash when there is
none (also when the object holding it is missing: the template then passes ""). A filter
rather than an included template: a county table renders thousands."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()
NONE = "\u2013"


@register.filter
def percent(value: object) -> str:
    if value is None or value == "":
        return NONE
    return f"{float(value):.1f}%"  # type: ignore[arg-type]


# The county dashboard's two tables with a row per school (600 in a county): one tag each,
# rows joined by format_html_join (every value escaped), rather than the template engine
# resolving eight variables and a filter per row, 1,200 times (docs/performance.md).
NUMERIC = "govuk-table__cell govuk-table__cell--numeric"
SCHOOL_ROW = (
    '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{}</th>'
    '<td class="govuk-table__cell">{}</td>' + f'<td class="{NUMERIC}">{{}}</td>' * 6 + "</tr>"
)
FRESHNESS_ROW = (
    '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{}</th>'
    f'<td class="govuk-table__cell">{{}}</td><td class="{NUMERIC}">{{}}{{}}</td></tr>'
)
STALE_TAG = format_html('<strong class="govuk-tag govuk-tag--orange">{}</strong>', "Stale")


def _published(benchmark: Any, level: str) -> object:
    figures = getattr(benchmark, level, None)
    return getattr(figures, "attendance", None)


@register.simple_tag
def school_figure_rows(schools: Iterable[tuple[Any, str, Any]]) -> SafeString:
    """(figures row, name, benchmark) per school, as the Schools table's rows."""
    return format_html_join(
        "\n",
        SCHOOL_ROW,
        (
            (
                name,
                r.school.get_phase_display(),
                r.pupils,
                percent(r.attendance_rate),
                percent(_published(b, "national")),
                percent(_published(b, "region")),
                percent(r.persistent_rate),
                percent(r.severe_rate),
            )
            for r, name, b in schools
        ),
    )


@register.simple_tag
def freshness_rows(rows: Iterable[tuple[Any, str]], stale_after: int) -> SafeString:
    """(figures row, name) per school, as the register freshness table's rows."""
    return format_html_join(
        "\n",
        FRESHNESS_ROW,
        (
            (
                name,
                date_format(r.data_date, "j F Y") if r.data_date else "No register",
                r.school_days_behind,
                format_html(" {}", STALE_TAG) if r.school_days_behind > stale_after else "",
            )
            for r, name in rows
        ),
    )
