"""The inline SVG charts' marks, written in Python rather than template loops (issue 16
item 5): the same coordinates the template's `floatformat:1` wrote, every point drawn."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.template.defaultfilters import floatformat

from schools.charts import coordinate, weekly_rate_chart
from schools.templatetags.attendance import line_chart_marks


@pytest.mark.parametrize(
    "value",
    [
        0.0,
        16.0,
        0.05,  # halves round up, as floatformat does (Python's format would give 0.1 too)
        0.25,  # ... here Python's own format rounds to even: 0.2; floatformat gives 0.3
        2.45,
        107.35,
        252.0,
        688.0,
        123.456789,
        71.99999999999999,
        1 / 3,
    ],
)
def test_a_coordinate_is_written_as_floatformat_wrote_it(value: float) -> None:
    assert coordinate(value) == floatformat(value, 1)


def test_every_sweep_value_agrees_with_floatformat() -> None:
    # The chart's x positions: the plot's width shared among up to 60 weeks.
    values = [56 + 632 * i / (n - 1) for n in range(2, 61) for i in range(n)]
    assert [coordinate(v) for v in values] == [floatformat(v, 1) for v in values]


def test_the_marks_draw_every_week_and_the_reference_line() -> None:
    mondays = [date(2025, 9, 1) + timedelta(weeks=n) for n in range(12)]
    chart = weekly_rate_chart(
        [(monday, 90 + n / 3) for n, monday in enumerate(mondays)],
        title="t",
        reference=93.2,
        reference_label="National average",
    )
    assert chart is not None
    marks = line_chart_marks(chart)
    assert marks.count("<circle") == 12 == len(chart.points)
    assert marks.count('class="kpas-chart__reference"') == 1
    for point in chart.points:
        assert f'cx="{floatformat(point.x, 1)}" cy="{floatformat(point.y, 1)}"' in marks
    assert "<title>Week of 1 September 2025: 90.0%</title>" in marks
