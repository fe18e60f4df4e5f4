"""A constructed school whose attendance figures can be worked out by hand.

Calendar (tests/factories/register.py): term 3 Sep - 19 Dec 2025, half term 27-31 Oct.
From 3 Sep to AS_OF (Fri 28 Nov 2025) there are 58 school days = 116 sessions; the last 4
school weeks are 3-28 Nov: 20 days = 40 sessions.

| pupil | year | flags | absent sessions | what it makes them |
|---|---|---|---|---|
| present | 1 | | N on 15 Sep AM (overdue), N on 27 Nov AM (not yet due) | 2 unauthorised |
| near_line | 1 | FSM | 11 I in September | at risk: 9.5% absence |
| persistent | 2 | FSM | 12 O from 8 Sep | PA; met the penalty threshold 12 Sep PM |
| severe | 2 | EHCP | 60 I from 3 Sep | PA and SA |
| slipping | 3 | EAL | 4 M on 10-11 Nov | at risk: 10% of the last 4 weeks |
| steady | 3 | | 3 M on 24-25 Nov | nothing |
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from schools.evaluation import evaluate_school
from schools.models import Enrolment, Pupil, School
from schools.projections import projections_rebuild
from schools.register_store import marks_bulk_insert, years_of
from tests.factories.register import pupil_at, school_days, school_with_terms

AS_OF = date(2025, 11, 28)
TERM_START = date(2025, 9, 3)
SESSIONS = 116
RECENT_SESSIONS = 40
RECENT_FIRST_DAY = date(2025, 11, 3)


@dataclass
class Constructed:
    school: School
    pupils: dict[str, Pupil]


def bulk_register(
    school: School,
    pupils: Iterable[Pupil],
    start: date,
    end: date,
    absences: dict[int, dict[tuple[date, int], str]] | None = None,
) -> None:
    """Every pupil present every session from start to end, except `absences`
    ({pupil id: {(date, session): code}}); one bulk insert for all of them."""
    absences = absences or {}
    days = school_days(school, start, end)
    rows = []
    for pupil in pupils:
        own = absences.get(pupil.pk, {})
        for day in days:
            for session in (0, 1):
                code = own.get((day, session), "\\" if session else "/")
                rows.append((school.pk, pupil.pk, day, session, code))
    marks_bulk_insert(rows, years=years_of(r[2] for r in rows))


def sessions(
    days: Iterable[date], code: str, *, am: bool = True, pm: bool = True
) -> dict[tuple[date, int], str]:
    chosen = [s for s, wanted in ((0, am), (1, pm)) if wanted]
    return {(day, session): code for day in days for session in chosen}


def derive(school: School, as_of: date = AS_OF) -> None:
    """Projections and alerts, as the nightly job would leave them."""
    for year in (2024, 2025):
        projections_rebuild(school_id=school.pk, academic_year=year)
    evaluate_school(school_id=school.pk, as_of=as_of)


def constructed_school(**school_fields: object) -> Constructed:
    school = school_with_terms(**school_fields)
    spec = {
        "present": ("1", {}),
        "near_line": ("1", {"fsm": True}),
        "persistent": ("2", {"fsm": True}),
        "severe": ("2", {"ehcp": True}),
        "slipping": ("3", {"eal": True}),
        "steady": ("3", {}),
    }
    pupils = {}
    for name, (year_group, flags) in spec.items():
        pupil = pupil_at(school, born=date(2017, 1, 10))
        Pupil.objects.filter(pk=pupil.pk).update(
            forename=name.replace("_", " ").title(), surname=f"Pupil {name}", **flags
        )
        Enrolment.objects.filter(pupil=pupil, school=school).update(year_group=year_group)
        pupils[name] = Pupil.objects.get(pk=pupil.pk)
    days = school_days(school, TERM_START, AS_OF)
    september = [d for d in days if d.month == 9]
    absences = {
        pupils["present"].pk: {(date(2025, 9, 15), 0): "N", (date(2025, 11, 27), 0): "N"},
        pupils["near_line"].pk: {
            **sessions(september[:5], "I"),
            (september[5], 0): "I",
        },
        pupils["persistent"].pk: sessions(
            [d for d in days if date(2025, 9, 8) <= d <= date(2025, 9, 15)], "O"
        ),
        pupils["severe"].pk: sessions(days[:30], "I"),
        pupils["slipping"].pk: sessions([date(2025, 11, 10), date(2025, 11, 11)], "M"),
        pupils["steady"].pk: {
            **sessions([date(2025, 11, 24)], "M"),
            (date(2025, 11, 25), 0): "M",
        },
    }
    bulk_register(school, pupils.values(), TERM_START, AS_OF, absences)
    derive(school)
    return Constructed(school, pupils)


def many_pupils(school: School, count: int, *, absent_every: int = 7) -> list[Pupil]:
    """`count` pupils on roll with a term of marks; every `absent_every`th pupil has
    missed the first 12 school days (so lists are not empty)."""
    pupils = [pupil_at(school) for _ in range(count)]
    days = school_days(school, TERM_START, AS_OF)
    absences = {
        pupil.pk: sessions(days[:12], "O")
        for i, pupil in enumerate(pupils)
        if i % absent_every == 0
    }
    bulk_register(school, pupils, TERM_START, AS_OF, absences)
    derive(school)
    return pupils
