"""Pure rules of the dashboards' figures (docs/dashboards.md): plain numbers in and out."""

from __future__ import annotations


def attendance_trend(
    *, recent_attendance: int, recent_possible: int, prior_attendance: int, prior_possible: int
) -> float | None:
    """Percentage points by which the recent attendance rate is above (+) or below (-) the
    prior one: sums of sessions, so an area's trend is the trend of its summed sessions."""
    if not recent_possible or not prior_possible:
        return None
    return 100 * recent_attendance / recent_possible - 100 * prior_attendance / prior_possible
