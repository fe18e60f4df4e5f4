"""Demo Targeting Support Meetings: the demo school year's proposal, as the yearly beat task
would make it on the demo's day (called from kpas/site/demo_seed.py)."""

from __future__ import annotations

from datetime import date

from kpas.tsm.services import tsm_year_propose
from schools.calendar import academic_year_bounds, academic_year_of


def demo_meetings_propose(*, as_of: date) -> int:
    """Propose from the first day of the demo's school year, so the diary shows a whole
    year (some meetings before the demo's day, ready for a Record of Consultation)."""
    year = academic_year_of(as_of)
    result = tsm_year_propose(
        academic_year=year, today=as_of, not_before=academic_year_bounds(year)[0]
    )
    return result.meetings_created
