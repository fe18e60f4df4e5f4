"""Geometry for charts drawn as inline SVG by the templates (no JavaScript, no CDN).

Each chart is plain numbers the template places; the same figures are always also shown
in a table (templates put it in a "Show the figures as a table" details component).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

WIDTH: Final = 720
HEIGHT: Final = 300
LEFT: Final = 56  # room for the y-axis labels
RIGHT: Final = 32  # room for the last x-axis label
TOP: Final = 16
BOTTOM: Final = 48  # room for the x-axis labels
MAX_X_LABELS: Final = 10


_TENTH: Final = Decimal("0.1")


def coordinate(value: float) -> str:
    """A coordinate to one place, rounded half up as the template filter `floatformat:1`
    writes it (the charts' marks are written in Python: 130 filter calls were a third of
    the dashboard's rendering)."""
    return str(Decimal(repr(value)).quantize(_TENTH, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float
    label: str


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    points: list[Point]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    reference_y: float | None
    reference_label: str
    title: str
    description: str

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def _axis(values: Sequence[float]) -> tuple[float, float, float]:
    """(bottom, top, step) of a percentage axis that shows every value, topped at 100."""
    low = min(values)
    span = 100 - low
    step = 1.0 if span <= 5 else 2.0 if span <= 12 else 5.0 if span <= 30 else 10.0
    bottom = max(0.0, math.floor((low - step / 2) / step) * step)
    return bottom, 100.0, step


def weekly_rate_chart(
    weeks: Sequence[tuple[date, float]],
    *,
    title: str,
    reference: float | None = None,
    reference_label: str = "",
) -> LineChart | None:
    """A line of weekly percentages (week's Monday, rate) with an optional reference line."""
    if not weeks:
        return None
    values = [rate for _, rate in weeks]
    bottom, top, step = _axis([*values, *([reference] if reference is not None else [])])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y_of(value: float) -> float:
        return TOP + plot_h * (top - value) / (top - bottom)

    def x_of(index: int) -> float:
        return LEFT + (plot_w / 2 if len(weeks) == 1 else plot_w * index / (len(weeks) - 1))

    points = [
        Point(x_of(i), y_of(rate), rate, f"Week of {monday:%-d %B %Y}: {rate:.1f}%")
        for i, (monday, rate) in enumerate(weeks)
    ]
    ticks = []
    value = bottom
    while value <= top + 1e-9:
        ticks.append(Tick(y_of(value), f"{value:g}%"))
        value += step
    every = max(1, math.ceil(len(weeks) / MAX_X_LABELS))
    x_ticks = [
        Tick(x_of(i), f"{monday:%-d %b}") for i, (monday, _) in enumerate(weeks) if i % every == 0
    ]
    lowest = min(range(len(weeks)), key=lambda i: values[i])
    description = (
        f"{len(weeks)} school weeks from the week of {weeks[0][0]:%-d %B %Y}. "
        f"Latest week {values[-1]:.1f}%; lowest {values[lowest]:.1f}% in the week of "
        f"{weeks[lowest][0]:%-d %B %Y}; highest {max(values):.1f}%."
        + (f" {reference_label}: {reference:.1f}%." if reference is not None else "")
        + f" The vertical axis runs from {bottom:g}% to {top:g}%."
    )
    return LineChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=HEIGHT - BOTTOM,
        points=points,
        y_ticks=ticks,
        x_ticks=x_ticks,
        reference_y=y_of(reference) if reference is not None else None,
        reference_label=reference_label,
        title=title,
        description=description,
    )
