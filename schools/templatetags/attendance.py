"""Filters for attendance figures: percentages and differences, worded for every reader."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.template.defaultfilters import add
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe

from schools.charts import LineChart, coordinate
from schools.dashboard.pupil_record import RecordCell, RegisterDay, RegisterMonth

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


def _day_cell(mark: RecordCell | None) -> str:
    if mark is None:
        return '<td class="govuk-table__cell">No mark</td>'
    return (
        f'<td class="govuk-table__cell"><span class="kpas-code kpas-code--{escape(mark.category)}">'
        f"{escape(mark.code)}</span> {escape(mark.meaning)}</td>"
    )


@register.simple_tag
def register_day_rows(days: list[RegisterDay]) -> str:
    """The rows of the register's text alternative (a day per row, its morning and
    afternoon marks), built here rather than in template loops, as the calendar."""
    rows = [
        '<tr class="govuk-table__row">'
        f'<th scope="row" class="govuk-table__header kpas-nowrap">'
        f"{day.day:%a} {day.day.day} {day.day:%b %Y}</th>"
        + "".join(_day_cell(mark) for mark in day.marks)
        + "</tr>"
        for day in days
    ]
    # Safe: every value from the register passed through escape() above.
    return mark_safe("\n".join(rows))


@register.simple_tag
def line_chart_marks(chart: LineChart) -> str:
    """The marks of a chart (schools.charts.LineChart): grid lines and ticks, the reference
    line, the line and its points, written here rather than in template loops with a
    `floatformat` per coordinate. Labels are escaped; numbers are the chart's own."""
    left, right, bottom = localize(chart.left), localize(chart.right), localize(chart.bottom)
    tick_x, x_tick_end, x_label_y = (
        localize(add(chart.left, -8)),
        localize(add(chart.bottom, 6)),
        localize(add(chart.bottom, 22)),
    )
    marks = []
    for tick in chart.y_ticks:
        y = coordinate(tick.position)
        marks.append(
            f'<line class="kpas-chart__grid" x1="{left}" x2="{right}" y1="{y}" y2="{y}"/>\n'
            f'<text class="kpas-chart__tick" x="{tick_x}" y="{y}" text-anchor="end" '
            f'dominant-baseline="middle">{escape(tick.label)}</text>'
        )
    marks.append(
        f'<line class="kpas-chart__axis" x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}"/>'
    )
    for tick in chart.x_ticks:
        x = coordinate(tick.position)
        marks.append(
            f'<line class="kpas-chart__axis" x1="{x}" x2="{x}" y1="{bottom}" y2="{x_tick_end}"/>\n'
            f'<text class="kpas-chart__tick" x="{x}" y="{x_label_y}" text-anchor="middle">'
            f"{escape(tick.label)}</text>"
        )
    if chart.reference_y is not None:
        y = coordinate(chart.reference_y)
        marks.append(
            f'<line class="kpas-chart__reference" x1="{left}" x2="{right}" y1="{y}" y2="{y}"/>'
        )
    marks.append(f'<polyline class="kpas-chart__line" points="{escape(chart.polyline)}"/>')
    marks.extend(
        f'<circle class="kpas-chart__point" cx="{coordinate(point.x)}" '
        f'cy="{coordinate(point.y)}" r="4"><title>{escape(point.label)}</title></circle>'
        for point in chart.points
    )
    # Safe: labels passed through escape(); the rest are numbers.
    return mark_safe("\n".join(marks))
