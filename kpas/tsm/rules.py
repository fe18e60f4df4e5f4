"""Targeting Support Meetings: how often, and on which days (DOMAIN §12; KSAH §15 ii).

Pure functions over plain values: no ORM, no settings, no clock.

- Frequency (KSAH §15 ii; DOMAIN §12): termly (3 a school year) where the school's overall
  attendance is below the national average for its phase, once a year otherwise. Equal is
  not below. PRUs have no national figure: the authority's setting decides. A school that
  asks for termly meetings has them (WTISA paras 95-96).
- Days: each meeting falls on a school day of the school (so never in a holiday, on a bank
  holiday or on a closure day), inside its window (a term for termly meetings, the rest of
  the year otherwise), on a day the linked officer has fewer meetings than the daily limit;
  among those, the officer's least busy day nearest an even spread of their schools.
- Re-plan: when a school crosses the national average during the year, its meetings still
  to come are re-planned (`replan`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Final

TERMS_PER_YEAR: Final = 3


class Frequency(StrEnum):
    TERMLY = "termly"
    YEARLY = "yearly"


class Basis(StrEnum):
    """Why a school has the frequency it has, as shown to officers and schools."""

    BELOW_NATIONAL = "below_national"
    NOT_BELOW_NATIONAL = "not_below_national"
    NO_NATIONAL_FIGURE = "no_national_figure"  # PRUs and the like: the LA's setting
    NO_FIGURES = "no_figures"  # no register figures yet: nothing shows it below
    SCHOOL_ASKED = "school_asked"


def is_below_national(*, attended: int, possible: int, national_percent: Decimal) -> bool:
    """Exact: attended/possible as a percentage against the published figure (one decimal
    place). Equal counts as not below (DOMAIN §12)."""
    if possible <= 0:
        return False
    return Fraction(attended * 100, possible) < Fraction(national_percent)


def tsm_frequency(
    *,
    attended: int,
    possible: int,
    national_percent: Decimal | None,
    no_national_frequency: Frequency,
    school_asked_termly: bool = False,
) -> tuple[Frequency, Basis]:
    """The meeting frequency for one school year (KSAH §15 ii; DOMAIN §12)."""
    if school_asked_termly:
        return Frequency.TERMLY, Basis.SCHOOL_ASKED
    if national_percent is None:
        return no_national_frequency, Basis.NO_NATIONAL_FIGURE
    if possible <= 0:
        return Frequency.YEARLY, Basis.NO_FIGURES
    if is_below_national(attended=attended, possible=possible, national_percent=national_percent):
        return Frequency.TERMLY, Basis.BELOW_NATIONAL
    return Frequency.YEARLY, Basis.NOT_BELOW_NATIONAL


def meetings_for(frequency: Frequency) -> int:
    return TERMS_PER_YEAR if frequency == Frequency.TERMLY else 1


# --- placing meetings in the officer's diary ------------------------------------------------
@dataclass(frozen=True)
class MeetingNeed:
    """One meeting to place: a school's `sequence`th of the year, inside `window`."""

    school_id: int
    officer_id: int
    sequence: int
    window: tuple[date, date]  # first and last day, inclusive
    school_days: frozenset[date]  # the school's calendar: holidays and closures are absent


@dataclass(frozen=True)
class Placement:
    school_id: int
    officer_id: int
    sequence: int
    day: date | None  # None: no day in the window has room (shown to the officer)


def place_meetings(
    needs: Sequence[MeetingNeed],
    *,
    daily_limit: int,
    booked: Mapping[tuple[int, date], int] | None = None,
    not_before: date,
) -> list[Placement]:
    """Place each need on a day, filling no officer's day past `daily_limit`.

    `booked` holds meetings already in the diaries, (officer, day) -> count. Within a
    window, the officer's needs are spread evenly: the kth of n needs aims at the point
    (k + 1/2)/n along the window, and takes the least busy open day nearest it. Deterministic
    for the same input order.
    """
    load: dict[tuple[int, date], int] = defaultdict(int, booked or {})
    groups: dict[tuple[int, tuple[date, date]], list[MeetingNeed]] = defaultdict(list)
    for need in needs:
        groups[(need.officer_id, need.window)].append(need)
    placed: dict[int, Placement] = {}
    index = {id(need): i for i, need in enumerate(needs)}
    for (officer_id, (first, last)), group in groups.items():
        start = max(first, not_before)
        for k, need in enumerate(group):
            days = sorted(d for d in need.school_days if start <= d <= last)
            open_days = [d for d in days if load[(officer_id, d)] < daily_limit]
            day = None
            if open_days:
                target = (2 * k + 1) * len(days) / (2 * len(group))
                position = {d: i for i, d in enumerate(days)}
                day = min(
                    open_days,
                    key=lambda d: (load[(officer_id, d)], abs(position[d] - target), d),
                )
                load[(officer_id, day)] += 1
            placed[index[id(need)]] = Placement(need.school_id, officer_id, need.sequence, day)
    return [placed[i] for i in range(len(needs))]


def windows_for(
    frequency: Frequency, terms: Sequence[tuple[date, date]]
) -> list[tuple[date, date]]:
    """Termly: one meeting in each term. Yearly: one meeting, anywhere in the year."""
    if not terms:
        return []
    if frequency == Frequency.TERMLY:
        return list(terms[:TERMS_PER_YEAR])
    return [(terms[0][0], terms[-1][1])]


# --- re-planning when a school crosses the national average --------------------------------
@dataclass(frozen=True)
class HeldOrPlanned:
    sequence: int
    day: date
    held: bool  # held (or its record completed): the past stays as it was
    agreed: bool  # agreed by both sides: kept, though it may be more than the rule needs


@dataclass(frozen=True)
class Replan:
    cancel: tuple[int, ...]  # sequences of meetings no longer needed
    add: tuple[tuple[date, date], ...]  # windows of meetings now needed


def replan(
    *,
    frequency: Frequency,
    meetings: Iterable[HeldOrPlanned],
    terms: Sequence[tuple[date, date]],
    today: date,
) -> Replan:
    """The change to a school's year when its frequency changes mid-year.

    To termly: a meeting in every term from today's on that has none yet (a past term
    without a meeting cannot be made good). To yearly: once one meeting is held or agreed,
    proposed ones still to come are no longer needed; agreed dates stay (both sides
    chose them).
    """
    meetings = list(meetings)
    if frequency == Frequency.TERMLY:
        add = []
        for first, last in terms[:TERMS_PER_YEAR]:
            if last < today:
                continue
            if not any(first <= m.day <= last for m in meetings):
                add.append((max(first, today), last))
        return Replan(cancel=(), add=tuple(add))
    kept = [m for m in meetings if m.held or m.agreed]
    future_proposed = sorted(
        (m for m in meetings if not m.held and not m.agreed and m.day >= today),
        key=lambda m: m.day,
    )
    if not kept and future_proposed:
        future_proposed = future_proposed[1:]  # the first one still to come is the year's one
    extra: tuple[tuple[date, date], ...] = ()
    if not kept and not any(m.day >= today for m in meetings) and terms and terms[-1][1] >= today:
        extra = ((max(terms[0][0], today), terms[-1][1]),)
    return Replan(cancel=tuple(m.sequence for m in future_proposed), add=extra)
