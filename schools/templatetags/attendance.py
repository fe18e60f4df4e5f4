"""Filters for attendance figures: percentages and differences, worded for every reader."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from schools.dashboard.pupil_record import RecordCell, RegisterMonth

register = template.Library()
NO_FIGURE = "\N{EN DASH}"  # shown where there is no figure (nothing possible yet)


@register.filter
def percentage(value: float | None, places: int = 1) -> str:
    """93.456 -> '93.5%'; None (nothing possible yet) -> an en dash."""
    if value is None:
        return NO_FIGURE
    return f"{value:.{int(places)}f}%"


@register.filter
def points_difference(value: float | None) -> str:
    """Percentage points above or below, in words, so colour is never the only signal."""
    if value is None:
        return NO_FIGURE
    rounded = round(value, 1)
    if rounded == 0:
        return "the same"
    return f"{abs(rounded):.1f} points {'above' if rounded > 0 else 'below'}"


@register.filter
def at_index(sequence: list[object], index: int) -> object:
    try:
        return sequence[int(index)]
    except (IndexError, TypeError, ValueError):
        return None


@lru_cache(maxsize=256)
def _code_span(mark: RecordCell | None) -> str:  # a few dozen distinct cells: made once
    if mark is None:
        return '<span class="kpas-code kpas-code--none" aria-hidden="true">\N{EN DASH}</span>'
    return (
        f'<span class="kpas-code kpas-code--{escape(mark.category)}" '
        f'aria-hidden="true">{escape(mark.code)}</span>'
    )


@register.simple_tag
def register_calendar_rows(months: list[RegisterMonth]) -> str:
    """The register calendar's body rows (schools.pupil_record.RegisterMonth), built here
    rather than in template loops: a year is some 370 cells of two marks each."""
    rows = []
    for month in months:
        cells = [f'<th scope="row">{month.first:%b %Y}</th>']
        for day in month.days:
            if day is None:
                cells.append("<td></td>")
            elif day.has_marks:
                cells.append(
                    f'<td><span class="govuk-visually-hidden">{escape(day.description)}</span>'
                    + "".join(_code_span(mark) for mark in day.marks)
                    + "</td>"
                )
            elif day.school_day:
                cells.append(
                    f'<td><span class="govuk-visually-hidden">{day.day:%A %-d %B}: no mark</span>'
                    + _code_span(None) * 2
                    + "</td>"
                )
            else:
                cells.append(
                    '<td class="kpas-register__closed"><span class="govuk-visually-hidden">'
                    f"{day.day:%A %-d %B}: school closed</span></td>"
                )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    # Safe: every value from the register passed through escape() above.
    return mark_safe("\n".join(rows))
