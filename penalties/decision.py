"""Whether a penalty notice may be issued: one pure rule over plain values (DOMAIN §5).

For one child, one parent, one case and a proposed issue (posting) date D, from the register,
the school's calendar and the parent's notice history, `penalty_decision` says eligible or
not and why (stable reason codes), which notice in the escalation, the amounts and the
deadlines, and the threshold window used. No ORM, no settings, no clock: everything is passed
in. Sources: DOMAIN §5 ("Precise counting"), KSAH §15 iv, SI 2024/210, EA96 s.8 and the
readings of issue 11 item 4; docs/penalties.md explains each reading.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final

from penalties.vocabulary import (
    PENALTY_CASES,
    REASON_ORDER,
    Case,
    Delivery,
    EscalationWindow,
    NoticeStatus,
    Reason,
)
from schools.calendar import (
    CalendarRangeError,
    SchoolCalendar,
    academic_year_bounds,
    academic_year_of,
    add_working_days,
    anniversary,
    england_bank_holidays,
)
from schools.codes import lookup
from schools.rules import PENALTY_THRESHOLD_SESSIONS, PENALTY_WINDOW_SCHOOL_WEEKS
from schools.school_age import is_compulsory_school_age

# --- constants, each with its source ----------------------------------------------------------
FRAMEWORK_START: Final = date(2024, 8, 19)  # national framework from 19 Aug 2024 (WTISA; KSAH)
ESCALATION_YEARS: Final = 3  # DOMAIN §5: first / second notice "within 3 years"; no third
ESCALATION_LIMIT: Final = 2  # two counted notices: no further notice (KSAH §15 iv)
FIRST_REDUCED, FIRST_FULL, SECOND_FULL = 80, 160, 160  # SI 2024/210; KSAH §15 iv (pounds)
EXCLUSION_REDUCED, EXCLUSION_FULL = 60, 120  # KSAH §15 iv, §19 (pounds)
REDUCED_DAYS: Final = 21  # "the period of 21 days beginning with the day of receipt"
FULL_DAYS: Final = 28  # "28 days beginning with the day of receipt" (SI 2024/210)
POSTED_DEEMED_WORKING_DAYS: Final = 2  # [LA setting] first-class post: 2nd working day
NOTICE_TO_IMPROVE_SCHOOL_DAYS: Final = 20  # [LA setting] Kent: 20 school days (KSAH §15 iv)
PUBLIC_PLACE_SCHOOL_DAYS: Final = 5  # scenario 3: the first 5 school days of an exclusion
LEAVE_CODES: Final = frozenset({"G"})  # KSAH §15 iv: leave counts G only
UNAUTHORISED_CODES: Final = frozenset({"G", "N", "O", "U"})  # DOMAIN §5: any mix
N, C2, E = "N", "C2", "E"
SESSIONS: Final = ("AM", "PM")

SessionKey = tuple[date, int]  # (date, 0 AM / 1 PM): sorts in register order


# --- inputs ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RegisterMark:
    date: date
    session: str  # "AM" / "PM"
    code: str


@dataclass(frozen=True)
class HistoryNotice:
    """One notice from the history, whoever issued it (plain values of a PenaltyNotice)."""

    pupil: str  # the child's UPN
    parent: str  # the parent's person reference
    case: str
    issued_on: date
    status: str
    convicted: bool = False


@dataclass(frozen=True)
class PenaltyFacts:
    """Everything the decision reads, as plain values gathered by `penalties.selectors`."""

    upn: str
    parent_ref: str
    case: str
    on: date  # D: the proposed date of issue (posting)
    marks: Sequence[RegisterMark]
    date_of_birth: date
    calendar: SchoolCalendar
    state_funded: bool
    in_care: bool
    history: Sequence[HistoryNotice] = ()
    notices_to_improve: Sequence[date] = ()  # the days each was deemed received
    delivery: str = Delivery.POST
    seen_on: date | None = None
    escalation_window: str = EscalationWindow.CALENDAR
    bank_holidays: frozenset[date] | None = None  # default: England's for the years around D


# --- outputs ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ThresholdEvidence:
    start: date  # the Monday of the 10th school week back
    end: date  # the day of the window's last session
    end_session: int
    sessions: tuple[RegisterMark, ...]  # the case's sessions in the window


@dataclass(frozen=True)
class PenaltyDecision:
    eligible: bool
    reasons: tuple[Reason, ...]
    notice_number: int | None
    amounts: dict[str, int] = field(default_factory=dict)
    deadlines: dict[str, date] = field(default_factory=dict)
    threshold: ThresholdEvidence | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON object `penalty_check` prints and the API returns (issue 11 item 4)."""
        window = self.threshold
        return {
            "eligible": self.eligible,
            "reasons": [str(reason) for reason in self.reasons],
            "notice_number": self.notice_number,
            "amounts": dict(self.amounts),
            "deadlines": {key: day.isoformat() for key, day in self.deadlines.items()},
            "threshold": None
            if window is None
            else {
                "from": window.start.isoformat(),
                "to": window.end.isoformat(),
                "sessions": [
                    {"date": m.date.isoformat(), "session": m.session, "code": m.code}
                    for m in window.sessions
                ],
            },
        }


# --- dates: receipt, payment periods, the escalation window ----------------------------------
def deemed_received(
    posted: date, delivery: str, bank_holidays: frozenset[date] | None = None
) -> date:
    """Hand delivery: the same day; post: the 2nd working day after posting (DOMAIN §5)."""
    if Delivery(delivery) == Delivery.HAND:
        return posted
    if bank_holidays is None:
        bank_holidays = england_bank_holidays(range(posted.year, posted.year + 2))
    return add_working_days(posted, POSTED_DEEMED_WORKING_DAYS, bank_holidays)


def payment_deadline(received: date, days: int) -> date:
    """The last day of a period of `days` days beginning with the day of receipt."""
    return received + timedelta(days=days - 1)


def escalation_window_start(on: date, kind: str = EscalationWindow.CALENDAR) -> date:
    """The first day of the escalation window ending on D (DOMAIN §5 "Escalation window").

    Calendar: the date 3 years before D, included (29 Feb falls back to 1 Mar, as ages do).
    School years: 1 August of the school year 2 before D's, so D's year and the 2 before it.
    """
    if EscalationWindow(kind) == EscalationWindow.SCHOOL_YEARS:
        return academic_year_bounds(academic_year_of(on) - (ESCALATION_YEARS - 1))[0]
    return anniversary(on, -ESCALATION_YEARS)


def counts_for_escalation(notice: HistoryNotice) -> bool:
    """Paid, or unpaid and the parent then convicted; never issued-and-pending or withdrawn."""
    if notice.case not in (Case.LEAVE, Case.UNAUTHORISED):
        return False  # exclusion notices are outside the count; a notice to improve is no PN
    if notice.status == NoticeStatus.PAID:
        return True
    return notice.status == NoticeStatus.UNPAID and notice.convicted


def escalation_count(
    history: Iterable[HistoryNotice],
    *,
    upn: str,
    parent_ref: str,
    on: date,
    kind: str = EscalationWindow.CALENDAR,
) -> int:
    """This parent's counted notices for this child in the window ending on D, issued on or
    after 19 August 2024 by any school or LA in England (DOMAIN §5; KSAH §15 iv)."""
    first = max(escalation_window_start(on, kind), FRAMEWORK_START)
    return sum(
        1
        for notice in history
        if notice.pupil == upn
        and notice.parent == parent_ref
        and first <= notice.issued_on <= on
        and counts_for_escalation(notice)
    )


# --- the register: sessions, windows and episodes --------------------------------------------
def _index(
    marks: Iterable[RegisterMark], calendar: SchoolCalendar, on: date
) -> dict[SessionKey, str]:
    """Marks on the calendar's school days up to D, keyed by session; codes checked."""
    index: dict[SessionKey, str] = {}
    for mark in marks:
        if mark.date > on or not calendar.is_school_day(mark.date):
            continue  # the rules ignore sessions off the calendar (schools.rules)
        key = (mark.date, SESSIONS.index(mark.session))
        if key in index:
            raise ValueError(f"two marks for the {mark.session} session of {mark.date}")
        index[key] = lookup(mark.code, mark.date).code
    return index


class _CaseSessions:
    """The case's sessions in register order, counted per window by bisection."""

    def __init__(self, keys: Iterable[SessionKey], calendar: SchoolCalendar) -> None:
        self.keys = sorted(keys)
        self.calendar = calendar

    def window_start(self, end: SessionKey) -> date:
        return self.calendar.window_start_for_school_weeks(end[0], PENALTY_WINDOW_SCHOOL_WEEKS)

    def in_window(self, end: SessionKey) -> list[SessionKey]:
        lo = bisect_left(self.keys, (self.window_start(end), 0))
        return self.keys[lo : bisect_right(self.keys, end)]

    def latest_episode(self, on: date) -> SessionKey | None:
        """The session S that began the most recent threshold episode on or before D: the
        count of the window ending at S reaches 10 after being below 10 at the school
        session before (DOMAIN §5 "Episodes"). To be swapped for the shared
        `schools.rules` episode function once it exists."""
        if not self.keys:
            return None
        latest, met = None, False
        for day in self.calendar.school_days_between(self.keys[0][0], on):
            for session in (0, 1):
                now = len(self.in_window((day, session))) >= PENALTY_THRESHOLD_SESSIONS
                if now and not met:
                    latest = (day, session)
                met = now
        return latest


def _marks(keys: Iterable[SessionKey], index: dict[SessionKey, str]) -> tuple[RegisterMark, ...]:
    return tuple(RegisterMark(day, SESSIONS[s], index[(day, s)]) for day, s in keys)


def _codes_between(index: dict[SessionKey, str], start: date, end: date) -> list[str]:
    return [code for (day, _), code in index.items() if start <= day <= end]


@dataclass(frozen=True)
class _Threshold:
    evidence: ThresholdEvidence
    met: bool
    compulsory: bool


def _threshold(facts: PenaltyFacts, index: dict[SessionKey, str]) -> _Threshold:
    """The episode used: the most recent one counting only sessions while of compulsory
    school age; failing that, the most recent counting every session (then the age, not the
    threshold, fails); failing that, the trailing window at D (issue 11 item 4, Readings)."""
    codes = LEAVE_CODES if facts.case == Case.LEAVE else UNAUTHORISED_CODES
    case_keys = [key for key, code in index.items() if code in codes]
    every_age = _CaseSessions(case_keys, facts.calendar)
    compulsory = _CaseSessions(
        (k for k in case_keys if is_compulsory_school_age(facts.date_of_birth, k[0])),
        facts.calendar,
    )
    met, of_age, end = True, True, compulsory.latest_episode(facts.on)
    if end is None:
        of_age, end = False, every_age.latest_episode(facts.on)
    if end is None:
        met, end = False, (facts.on, 1)
    evidence = ThresholdEvidence(
        every_age.window_start(end), end[0], end[1], _marks(every_age.in_window(end), index)
    )
    return _Threshold(evidence, met, of_age)


def _notice_to_improve_done(
    facts: PenaltyFacts, index: dict[SessionKey, str], window: ThresholdEvidence
) -> bool:
    """A notice deemed received before the window's last session whose 20-school-day period
    (day 1 the first school day after receipt) ended on or before D with at least one
    G/N/O/U session inside it (DOMAIN §5 "Notice-to-improve period"; KSAH §15 iv)."""
    for received in facts.notices_to_improve:
        if received >= window.end:
            continue
        try:
            first = facts.calendar.add_school_days(received, 1)
            last = facts.calendar.add_school_days(received, NOTICE_TO_IMPROVE_SCHOOL_DAYS)
        except CalendarRangeError:
            continue  # the period runs past the term dates the school has
        inside = _codes_between(index, first, last)
        if last <= facts.on and any(code in UNAUTHORISED_CODES for code in inside):
            return True
    return False


def _exclusion_start(index: dict[SessionKey, str], calendar: SchoolCalendar, day: date) -> date:
    """The first school day of the run of consecutive school days with an E session that
    contains `day` (the exclusion, as the register shows it)."""
    start = day
    for earlier in reversed(calendar.school_days_between(date.min, day - timedelta(days=1))):
        if E not in (index.get((earlier, 0)), index.get((earlier, 1))):
            break
        start = earlier
    return start


def _public_place(facts: PenaltyFacts, index: dict[SessionKey, str]) -> bool:
    """Seen on a day coded E among the first 5 school days of that exclusion, while of
    compulsory school age that day (KSAH §15 iv, §19; EIA06 s.103)."""
    seen = facts.seen_on
    if seen is None or seen > facts.on:
        return False
    if E not in (index.get((seen, 0)), index.get((seen, 1))):
        return False
    start = _exclusion_start(index, facts.calendar, seen)
    within = facts.calendar.count_school_days(start, seen) <= PUBLIC_PLACE_SCHOOL_DAYS
    return within and is_compulsory_school_age(facts.date_of_birth, seen)


# --- the decision ----------------------------------------------------------------------------
def penalty_decision(facts: PenaltyFacts) -> PenaltyDecision:
    """Eligible or not and why, the notice number, amounts and deadlines (DOMAIN §5)."""
    case = Case(facts.case)
    if case not in PENALTY_CASES:
        raise ValueError(f"a penalty notice case is one of {', '.join(PENALTY_CASES)}")
    index = _index(facts.marks, facts.calendar, facts.on)
    failed: set[Reason] = set()
    if facts.in_care:
        failed.add(Reason.NOT_IN_CARE)
    if not facts.state_funded:
        failed.add(Reason.STATE_FUNDED)
    window: ThresholdEvidence | None = None
    counted = 0
    if case == Case.EXCLUSION:
        if not _public_place(facts, index):
            failed.add(Reason.EXCLUSION)
    else:
        threshold = _threshold(facts, index)
        window = threshold.evidence
        if not threshold.met:
            failed.add(Reason.THRESHOLD)
        elif not threshold.compulsory:
            failed.add(Reason.COMPULSORY_SCHOOL_AGE)
        if N in _codes_between(index, window.start, facts.on):
            failed.add(Reason.NO_OUTSTANDING_N)
        window_codes = [
            code
            for (day, s), code in index.items()
            if (window.start, 0) <= (day, s) <= (window.end, window.end_session)
        ]
        if C2 in window_codes:
            failed.add(Reason.NO_C2)
        if case == Case.UNAUTHORISED and not _notice_to_improve_done(facts, index, window):
            failed.add(Reason.NOTICE_TO_IMPROVE)
        counted = escalation_count(
            facts.history,
            upn=facts.upn,
            parent_ref=facts.parent_ref,
            on=facts.on,
            kind=facts.escalation_window,
        )
        if counted >= ESCALATION_LIMIT:
            failed.add(Reason.ESCALATION_LIMIT)
    reasons = tuple(reason for reason in REASON_ORDER if reason in failed)
    if reasons:
        return PenaltyDecision(False, reasons, None, threshold=window)
    received = deemed_received(facts.on, facts.delivery, facts.bank_holidays)
    full = payment_deadline(received, FULL_DAYS)
    reduced = payment_deadline(received, REDUCED_DAYS)
    if case == Case.EXCLUSION:
        amounts = {"reduced": EXCLUSION_REDUCED, "full": EXCLUSION_FULL}
        deadlines = {"receipt": received, "reduced": reduced, "full": full}
        return PenaltyDecision(True, (), None, amounts, deadlines, None)
    if counted == 0:
        amounts = {"reduced": FIRST_REDUCED, "full": FIRST_FULL}
        deadlines = {"receipt": received, "reduced": reduced, "full": full}
        return PenaltyDecision(True, (), 1, amounts, deadlines, window)
    return PenaltyDecision(
        True, (), 2, {"full": SECOND_FULL}, {"receipt": received, "full": full}, window
    )
