"""Edges of the rules the demo shows on purpose (issue 10): a half-day closure and a pupil
with a second penalty-threshold episode in the same school year, at the demo school.

Applied to the demo's marks before they are imported (schools/demo.py), so they arrive
through the same import service as every other mark.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from kpas.base.demo_accounts import DEMO_SCHOOL_URN
from schools.models import Enrolment

Row = tuple[str, str, date, str, str]

# Friday 9 October 2026: the school closed for the afternoon (code #); the morning was held,
# so the day stays a school day (DOMAIN §13; issue 10 item 7).
HALF_DAY_CLOSURE = date(2026, 10, 9)
# Two threshold episodes in autumn 2026 (DOMAIN §5 "Episodes"): 10 U sessions on 2 to 8 Sept
# meet the threshold on 8 Sept; once 2 to 4 Sept leave the 10-school-week window (the week of
# 16 Nov; half term is not a school week) the count is 4, and 6 more U sessions on 16 to 18 Nov
# bring it back to 10: a second episode, met on 18 Nov.
FIRST_EPISODE_DAYS = (date(2026, 9, 2), date(2026, 9, 3), date(2026, 9, 4), date(2026, 9, 7))
FIRST_EPISODE_LAST = date(2026, 9, 8)
SECOND_EPISODE_DAYS = (date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 18))
CLEAN_FROM = date(2026, 4, 1)  # the pupil's other marks from here are present: no noise
# A pupil of compulsory school age throughout (born in these years: Years 3 to 6 in 2026/27).
BORN_FROM, BORN_TO = date(2015, 9, 1), date(2019, 8, 31)


def demo_edges_apply(urn: str, rows: Iterable[Row], *, as_of: date) -> list[Row]:
    rows = list(rows)
    if urn != DEMO_SCHOOL_URN or as_of < SECOND_EPISODE_DAYS[-1]:
        return rows
    upn = _episode_pupil(urn)
    unauthorised = {(d, s) for d in FIRST_EPISODE_DAYS for s in ("AM", "PM")}
    unauthorised |= {(FIRST_EPISODE_LAST, "AM"), (FIRST_EPISODE_LAST, "PM")}
    unauthorised |= {(d, s) for d in SECOND_EPISODE_DAYS for s in ("AM", "PM")}
    edged = []
    for row in rows:
        school, pupil, day, session, mark = row
        if day == HALF_DAY_CLOSURE and session == "PM":
            mark = "#"
        elif pupil == upn and day >= CLEAN_FROM:
            mark = "U" if (day, session) in unauthorised else ("/" if session == "AM" else "\\")
        edged.append((school, pupil, day, session, mark))
    return edged


def _episode_pupil(urn: str) -> str | None:
    enrolment = (
        Enrolment.objects.filter(
            school__urn=urn,
            pupil__date_of_birth__range=(BORN_FROM, BORN_TO),
            start_date__lte=CLEAN_FROM - timedelta(days=1),
        )
        .order_by("-pupil__upn")  # the last: the demo's moved pupil is the first
        .values_list("pupil__upn", flat=True)
        .first()
    )
    return enrolment
