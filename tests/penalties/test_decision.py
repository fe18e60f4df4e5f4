"""The penalty decision, row by row of DOMAIN §5 "Precise counting" and the readings of
issue 11 item 4 (KSAH §15 iv; SI 2024/210; EA96 s.8). Pure: no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from penalties.decision import (
    HistoryNotice,
    PenaltyFacts,
    RegisterMark,
    deemed_received,
    escalation_count,
    escalation_window_start,
    penalty_decision,
)
from schools.calendar import SchoolCalendar

# 2025/26 with an October half term closed and a February half term between terms.
CALENDAR = SchoolCalendar.from_terms(
    [
        (date(2025, 9, 3), date(2025, 12, 19)),
        (date(2026, 1, 5), date(2026, 2, 13)),
        (date(2026, 2, 23), date(2026, 3, 27)),
        (date(2026, 4, 13), date(2026, 7, 22)),
    ],
    closures=[(date(2025, 10, 27), date(2025, 10, 31))],
)
UPN, PARENT, OTHER_PARENT, SIBLING = "A886123425001", "P-1", "P-2", "B886123425002"
BORN = date(2015, 1, 10)  # of compulsory school age throughout


def days(start: date, end: date) -> list[date]:
    return CALENDAR.school_days_between(start, end)


def coded(code: str, start: date, end: date | None = None, sessions=("AM", "PM")) -> list:  # type: ignore[no-untyped-def]
    return [RegisterMark(d, s, code) for d in days(start, end or start) for s in sessions]


# Ten G sessions, Mon 8 - Fri 12 Dec 2025: the threshold met at Fri 12 Dec PM.
LEAVE_DEC = coded("G", date(2025, 12, 8), date(2025, 12, 12))
WINDOW_DEC = ("2025-09-29", "2025-12-12")  # the 10th school week back skips half term


def facts(marks, case="leave", on=date(2026, 1, 8), **kw) -> PenaltyFacts:  # type: ignore[no-untyped-def]
    base = dict(
        upn=UPN,
        parent_ref=PARENT,
        case=case,
        on=on,
        marks=marks,
        date_of_birth=BORN,
        calendar=CALENDAR,
        state_funded=True,
        in_care=False,
    )
    return PenaltyFacts(**{**base, **kw})  # type: ignore[arg-type]


def paid(issued_on: date, **kw) -> HistoryNotice:  # type: ignore[no-untyped-def]
    row = HistoryNotice(UPN, PARENT, "leave", issued_on, "paid", False)
    return replace(row, **kw)


# --- eligibility: one row per condition ------------------------------------------------------
ELIGIBILITY = [
    # (id citing the paragraph, facts, expected reasons)
    ("DOMAIN5-threshold-10G-in-10-school-weeks", facts(LEAVE_DEC), ()),
    (
        "KSAH15iv-leave-counts-G-only-9G-1O",
        facts(LEAVE_DEC[:-1] + coded("O", date(2025, 12, 12), sessions=("PM",))),
        ("threshold",),
    ),
    (
        "DOMAIN5-unauthorised-counts-GNOU-mix",
        facts(
            LEAVE_DEC[:-1] + coded("O", date(2025, 12, 12), sessions=("PM",)),
            case="unauthorised",
            notices_to_improve=[date(2025, 11, 14)],
        ),
        (),
    ),
    (
        "DOMAIN5-threshold-8-sessions-is-short",
        facts(coded("G", date(2025, 12, 8), date(2025, 12, 11))),
        ("threshold",),
    ),
    (
        "DOMAIN5-threshold-sessions-more-than-10-school-weeks-apart",
        facts(
            coded("G", date(2025, 9, 15), date(2025, 9, 16))
            + coded("G", date(2025, 12, 8), date(2025, 12, 10))
        ),
        ("threshold",),
    ),
    (
        "EA96s8-before-compulsory-school-age-all-10-sessions",
        facts(LEAVE_DEC, date_of_birth=date(2020, 10, 15)),  # compulsory from 31 Dec 2025
        ("compulsory-school-age",),
    ),
    (
        "EA96s8-split-6-before-4-after-start-of-compulsory-school-age",
        facts(
            coded("G", date(2025, 12, 8), date(2025, 12, 10))
            + coded("G", date(2026, 1, 5), date(2026, 1, 6)),
            date_of_birth=date(2020, 10, 15),
        ),
        ("compulsory-school-age",),
    ),
    (
        "EA96s8-10-sessions-after-start-of-compulsory-school-age",
        facts(
            coded("G", date(2026, 1, 5), date(2026, 1, 9)),
            on=date(2026, 1, 12),
            date_of_birth=date(2020, 10, 15),
        ),
        (),
    ),
    (
        "EA96s8-below-10-is-threshold-whatever-the-age",
        facts(coded("G", date(2025, 12, 8), date(2025, 12, 11)), date_of_birth=date(2020, 10, 15)),
        ("threshold",),
    ),
    (
        "EA96s8-after-the-last-Friday-in-June-of-year-11",
        facts(
            coded("G", date(2026, 6, 29), date(2026, 7, 3)),
            on=date(2026, 7, 6),
            date_of_birth=date(2009, 9, 15),  # 16 in Sept 2025: compulsory to 26 June 2026
        ),
        ("compulsory-school-age",),
    ),
    (
        "DOMAIN5-N-outstanding-between-window-start-and-D",
        facts(LEAVE_DEC + coded("N", date(2026, 1, 5), sessions=("AM",))),
        ("no-outstanding-n",),
    ),
    (
        "DOMAIN5-N-in-the-threshold-sessions",
        facts(
            coded("O", date(2025, 12, 8), date(2025, 12, 11)) + coded("N", date(2025, 12, 12)),
            case="unauthorised",
            notices_to_improve=[date(2025, 11, 14)],
        ),
        ("no-outstanding-n",),
    ),
    (
        "KSAH15iv-C2-in-the-threshold-window",
        facts(LEAVE_DEC + coded("C2", date(2025, 12, 1), sessions=("AM",))),
        ("no-c2",),
    ),
    (
        "KSAH15iv-C2-after-the-window-does-not-count",
        facts(LEAVE_DEC + coded("C2", date(2026, 1, 5), sessions=("AM",))),
        (),
    ),
    ("KSAH15iv-not-in-care", facts(LEAVE_DEC, in_care=True), ("not-in-care",)),
    ("KSAH15iv-state-funded", facts(LEAVE_DEC, state_funded=False), ("state-funded",)),
    (
        "KSAH15iv-two-counted-notices-no-third",
        facts(LEAVE_DEC, history=[paid(date(2024, 9, 10)), paid(date(2025, 3, 10))]),
        ("escalation-limit",),
    ),
    (
        "DOMAIN5-escalation-per-parent-other-parent-at-limit",
        facts(
            LEAVE_DEC,
            history=[
                paid(date(2024, 9, 10), parent=OTHER_PARENT),
                paid(date(2025, 3, 10), parent=OTHER_PARENT),
            ],
        ),
        (),
    ),
    (
        "DOMAIN5-escalation-per-child-sibling-notices-do-not-count",
        facts(
            LEAVE_DEC,
            history=[
                paid(date(2024, 9, 10), pupil=SIBLING),
                paid(date(2025, 3, 10), pupil=SIBLING),
            ],
        ),
        (),
    ),
    (
        "DOMAIN5-every-failing-condition-reported-in-order",
        facts([], in_care=True, state_funded=False, case="unauthorised"),
        ("threshold", "not-in-care", "state-funded", "notice-to-improve"),
    ),
]


@pytest.mark.parametrize(
    ("given", "reasons"), [row[1:] for row in ELIGIBILITY], ids=[row[0] for row in ELIGIBILITY]
)
def test_eligibility(given: PenaltyFacts, reasons: tuple[str, ...]) -> None:
    decision = penalty_decision(given)
    assert [str(r) for r in decision.reasons] == list(reasons)
    assert decision.eligible is (not reasons)
    if reasons:
        assert decision.notice_number is None
        assert decision.amounts == {} and decision.deadlines == {}


# --- notice to improve (scenario 2) ----------------------------------------------------------
# Ten O sessions Mon 20 - Fri 24 Oct 2025: the threshold met at Fri 24 Oct PM.
O_OCT = coded("O", date(2025, 10, 20), date(2025, 10, 24))
NTI = [
    # (id, received, D, marks, passes)
    ("DOMAIN5-NTI-period-ended-on-D", date(2025, 10, 1), date(2025, 11, 5), O_OCT, True),
    ("DOMAIN5-NTI-period-not-ended-by-D", date(2025, 10, 1), date(2025, 11, 4), O_OCT, False),
    (
        "DOMAIN5-NTI-no-unauthorised-session-in-period",
        date(2025, 9, 3),  # period 4 Sep - 1 Oct; the O sessions come later
        date(2025, 11, 5),
        O_OCT,
        False,
    ),
    (
        "DOMAIN5-NTI-received-on-the-day-of-the-last-session",
        date(2025, 10, 24),
        date(2026, 1, 8),
        O_OCT,
        False,
    ),
    (
        "DOMAIN5-NTI-received-the-day-before-period-over-half-term",
        date(2025, 10, 23),  # day 1 is 24 Oct; the 20th school day is 27 Nov
        date(2025, 11, 27),
        O_OCT,
        True,
    ),
    ("DOMAIN5-NTI-one-day-short", date(2025, 10, 23), date(2025, 11, 26), O_OCT, False),
]


@pytest.mark.parametrize(
    ("received", "on", "marks", "passes"), [r[1:] for r in NTI], ids=[r[0] for r in NTI]
)
def test_notice_to_improve(received: date, on: date, marks: list, passes: bool) -> None:  # type: ignore[type-arg]
    decision = penalty_decision(
        facts(marks, case="unauthorised", on=on, notices_to_improve=[received])
    )
    assert ("notice-to-improve" not in decision.reasons) is passes
    assert decision.eligible is passes


def test_leave_needs_no_notice_to_improve() -> None:
    assert penalty_decision(facts(LEAVE_DEC)).eligible


def test_no_notice_to_improve_at_all() -> None:
    decision = penalty_decision(facts(O_OCT, case="unauthorised", on=date(2025, 11, 5)))
    assert decision.reasons == ("notice-to-improve",)


# --- amounts, deadlines and receipt (SI 2024/210; DOMAIN §5 "Payment periods") ---------------
AMOUNTS = [
    # (id, facts, notice_number, amounts, deadlines)
    (
        "SI2024-210-first-notice-posted-Thursday-received-Monday",
        facts(LEAVE_DEC),
        1,
        {"reduced": 80, "full": 160},
        {"receipt": "2026-01-12", "reduced": "2026-02-01", "full": "2026-02-08"},
    ),
    (
        "DOMAIN5-hand-delivery-received-the-same-day",
        facts(LEAVE_DEC, delivery="hand"),
        1,
        {"reduced": 80, "full": 160},
        {"receipt": "2026-01-08", "reduced": "2026-01-28", "full": "2026-02-04"},
    ),
    (
        "DOMAIN5-posted-Thursday-before-Easter-Good-Friday-and-Easter-Monday-skipped",
        facts(LEAVE_DEC, on=date(2026, 4, 2)),
        1,
        {"reduced": 80, "full": 160},
        {"receipt": "2026-04-08", "reduced": "2026-04-28", "full": "2026-05-05"},
    ),
    (
        "DOMAIN5-posted-before-Christmas-both-bank-holidays-skipped",
        facts(LEAVE_DEC, on=date(2025, 12, 23)),
        1,
        {"reduced": 80, "full": 160},
        {"receipt": "2025-12-29", "reduced": "2026-01-18", "full": "2026-01-25"},
    ),
    (
        "KSAH15iv-second-notice-160-flat",
        facts(LEAVE_DEC, history=[paid(date(2025, 3, 10))]),
        2,
        {"full": 160},
        {"receipt": "2026-01-12", "full": "2026-02-08"},
    ),
    (
        "KSAH15iv-unpaid-and-convicted-counts",
        facts(LEAVE_DEC, history=[paid(date(2025, 3, 10), status="unpaid", convicted=True)]),
        2,
        {"full": 160},
        {"receipt": "2026-01-12", "full": "2026-02-08"},
    ),
    (
        "KSAH15iv-withdrawn-never-counts",
        facts(
            LEAVE_DEC,
            history=[
                paid(date(2025, 3, 10), status="withdrawn"),
                paid(date(2025, 4, 10), status="withdrawn"),
            ],
        ),
        1,
        {"reduced": 80, "full": 160},
        {"receipt": "2026-01-12", "reduced": "2026-02-01", "full": "2026-02-08"},
    ),
    (
        "DOMAIN5-notices-before-19-August-2024-do-not-count",
        facts(LEAVE_DEC, history=[paid(date(2024, 8, 18)), paid(date(2024, 7, 1))]),
        1,
        {"reduced": 80, "full": 160},
        {"receipt": "2026-01-12", "reduced": "2026-02-01", "full": "2026-02-08"},
    ),
    (
        "KSAH15iv-exclusion-60-120-outside-the-count",
        facts(
            coded("E", date(2025, 11, 13), date(2025, 11, 20)),
            case="exclusion",
            on=date(2025, 11, 24),
            seen_on=date(2025, 11, 19),
            history=[paid(date(2024, 9, 10)), paid(date(2025, 3, 10))],
        ),
        None,
        {"reduced": 60, "full": 120},
        {"receipt": "2025-11-26", "reduced": "2025-12-16", "full": "2025-12-23"},
    ),
]


@pytest.mark.parametrize(
    ("given", "number", "amounts", "deadlines"),
    [r[1:] for r in AMOUNTS],
    ids=[r[0] for r in AMOUNTS],
)
def test_amounts_and_deadlines(given: PenaltyFacts, number, amounts, deadlines) -> None:  # type: ignore[no-untyped-def]
    result = penalty_decision(given).as_dict()
    assert result["eligible"] is True and result["reasons"] == []
    assert result["notice_number"] == number
    assert result["amounts"] == amounts
    assert result["deadlines"] == deadlines


# --- the escalation window's edges (DOMAIN §5 "Escalation window") ---------------------------
ON = date(2028, 1, 10)
ESCALATION = [
    # (id, history, D, window kind, expected count)
    (
        "DOMAIN5-issued-exactly-3-years-before-D-counts",
        [paid(date(2025, 1, 10))],
        ON,
        "calendar",
        1,
    ),
    ("DOMAIN5-issued-the-day-before-does-not", [paid(date(2025, 1, 9))], ON, "calendar", 0),
    ("DOMAIN5-issued-on-D-counts", [paid(ON)], ON, "calendar", 1),
    ("DOMAIN5-issued-after-D-does-not", [paid(ON + timedelta(days=1))], ON, "calendar", 0),
    (
        "DOMAIN5-29-February-goes-back-to-1-March",
        [paid(date(2025, 2, 28))],
        date(2028, 2, 29),
        "calendar",
        0,
    ),
    (
        "DOMAIN5-29-February-1-March-counts",
        [paid(date(2025, 3, 1))],
        date(2028, 2, 29),
        "calendar",
        1,
    ),
    (
        "KSAH15iv-school-years-from-1-August-two-years-back",
        [paid(date(2025, 8, 1))],
        ON,
        "school_years",
        1,
    ),
    (
        "KSAH15iv-school-years-31-July-before-does-not",
        [paid(date(2025, 7, 31))],
        ON,
        "school_years",
        0,
    ),
    (
        "KSAH15iv-school-years-wider-than-calendar",
        [paid(date(2024, 8, 19))],
        date(2027, 7, 31),
        "school_years",
        1,
    ),
    (
        "WTISA-framework-starts-19-August-2024",
        [paid(date(2024, 8, 19))],
        date(2026, 1, 8),
        "calendar",
        1,
    ),
    (
        "WTISA-18-August-2024-is-before-the-framework",
        [paid(date(2024, 8, 18))],
        date(2026, 1, 8),
        "calendar",
        0,
    ),
    (
        "KSAH15iv-issued-still-in-payment-period",
        [paid(date(2025, 6, 1), status="issued")],
        ON,
        "calendar",
        0,
    ),
    (
        "KSAH15iv-unpaid-not-yet-convicted",
        [paid(date(2025, 6, 1), status="unpaid")],
        ON,
        "calendar",
        0,
    ),
    (
        "KSAH15iv-unpaid-and-convicted",
        [paid(date(2025, 6, 1), status="unpaid", convicted=True)],
        ON,
        "calendar",
        1,
    ),
    ("KSAH15iv-withdrawn", [paid(date(2025, 6, 1), status="withdrawn")], ON, "calendar", 0),
    (
        "KSAH15iv-exclusion-notices-outside-the-count",
        [paid(date(2025, 6, 1), case="exclusion")],
        ON,
        "calendar",
        0,
    ),
    (
        "DOMAIN5-notice-to-improve-is-not-a-penalty-notice",
        [paid(date(2025, 6, 1), case="notice_to_improve", status="issued")],
        ON,
        "calendar",
        0,
    ),
    ("DOMAIN5-another-parent", [paid(date(2025, 6, 1), parent=OTHER_PARENT)], ON, "calendar", 0),
    ("DOMAIN5-a-sibling", [paid(date(2025, 6, 1), pupil=SIBLING)], ON, "calendar", 0),
    (
        "DOMAIN5-unauthorised-and-leave-both-count",
        [paid(date(2025, 6, 1)), paid(date(2026, 6, 1), case="unauthorised")],
        ON,
        "calendar",
        2,
    ),
]


@pytest.mark.parametrize(
    ("history", "on", "kind", "count"), [r[1:] for r in ESCALATION], ids=[r[0] for r in ESCALATION]
)
def test_escalation_count(history, on, kind, count) -> None:  # type: ignore[no-untyped-def]
    assert escalation_count(history, upn=UPN, parent_ref=PARENT, on=on, kind=kind) == count


def test_escalation_window_start() -> None:
    assert escalation_window_start(ON) == date(2025, 1, 10)
    assert escalation_window_start(ON, "school_years") == date(2025, 8, 1)


# --- deemed receipt over bank holidays (DOMAIN §5 [LA setting]) ------------------------------
@pytest.mark.parametrize(
    ("posted", "received"),
    [
        (date(2026, 4, 2), date(2026, 4, 8)),  # Thursday before Easter
        (date(2026, 4, 3), date(2026, 4, 8)),  # posted on Good Friday
        (date(2025, 8, 22), date(2025, 8, 27)),  # Friday before the August bank holiday
        (date(2026, 1, 9), date(2026, 1, 13)),  # Friday: Monday, Tuesday
        (date(2026, 1, 7), date(2026, 1, 9)),  # Wednesday: Friday
    ],
    ids=["easter-thursday", "good-friday", "august-bank-holiday", "friday", "wednesday"],
)
def test_deemed_received_by_post(posted: date, received: date) -> None:
    assert deemed_received(posted, "post") == received
    assert deemed_received(posted, "hand") == posted


# --- exclusion (scenario 3; KSAH §15 iv, §19) ------------------------------------------------
E_NOV = coded("E", date(2025, 11, 13), date(2025, 11, 20))  # Thu 13 - Thu 20 Nov 2025
EXCLUSION = [
    ("KSAH19-seen-on-the-5th-school-day-over-a-weekend", date(2025, 11, 19), E_NOV, BORN, ()),
    ("KSAH19-seen-on-the-first-day", date(2025, 11, 13), E_NOV, BORN, ()),
    ("KSAH19-seen-on-the-6th-school-day", date(2025, 11, 20), E_NOV, BORN, ("exclusion",)),
    ("KSAH19-seen-on-a-day-not-coded-E", date(2025, 11, 21), E_NOV, BORN, ("exclusion",)),
    ("KSAH19-no-seen-on-date", None, E_NOV, BORN, ("exclusion",)),
    (
        "EIA06s103-not-of-compulsory-school-age-that-day",
        date(2025, 11, 19),
        E_NOV,
        date(2021, 1, 15),  # compulsory from 31 March 2026
        ("exclusion",),
    ),
    (
        "KSAH19-exclusion-starting-with-an-afternoon",
        date(2025, 11, 19),
        coded("E", date(2025, 11, 14), sessions=("PM",))
        + coded("E", date(2025, 11, 17), date(2025, 11, 20)),
        BORN,
        (),
    ),
]


@pytest.mark.parametrize(
    ("seen", "marks", "born", "reasons"), [r[1:] for r in EXCLUSION], ids=[r[0] for r in EXCLUSION]
)
def test_exclusion(seen, marks, born, reasons) -> None:  # type: ignore[no-untyped-def]
    decision = penalty_decision(
        facts(marks, case="exclusion", on=date(2025, 11, 24), seen_on=seen, date_of_birth=born)
    )
    assert [str(r) for r in decision.reasons] == list(reasons)
    assert decision.notice_number is None
    assert decision.as_dict()["threshold"] is None


# --- the episode used and its window (issue 11 item 4 Readings) ------------------------------
def test_the_window_of_the_episode_is_returned() -> None:
    result = penalty_decision(facts(LEAVE_DEC)).as_dict()["threshold"]
    assert (result["from"], result["to"]) == WINDOW_DEC
    assert len(result["sessions"]) == 10
    assert result["sessions"][0] == {"date": "2025-12-08", "session": "AM", "code": "G"}


def test_the_most_recent_episode_on_or_before_D_is_used() -> None:
    marks = coded("G", date(2025, 9, 15), date(2025, 9, 19)) + LEAVE_DEC
    latest = penalty_decision(facts(marks)).as_dict()["threshold"]
    assert (latest["from"], latest["to"]) == WINDOW_DEC
    earlier = penalty_decision(facts(marks, on=date(2025, 11, 3))).as_dict()["threshold"]
    assert (earlier["from"], earlier["to"]) == ("2025-09-01", "2025-09-19")


def test_marks_after_D_are_not_read() -> None:
    decision = penalty_decision(facts(LEAVE_DEC, on=date(2025, 12, 11)))
    assert decision.reasons == ("threshold",)
    assert decision.as_dict()["threshold"]["to"] == "2025-12-11"


# --- date arithmetic, for any posting day (STYLE habit 2: Hypothesis) ------------------------
@given(st.dates(min_value=date(2024, 8, 19), max_value=date(2030, 12, 31)))
def test_receipt_and_periods_for_any_posting_day(posted: date) -> None:
    from schools.calendar import england_bank_holidays

    holidays = england_bank_holidays(range(posted.year, posted.year + 2))
    received = deemed_received(posted, "post")
    assert received > posted and received.weekday() < 5 and received not in holidays
    between = [posted + timedelta(days=i) for i in range(1, (received - posted).days)]
    assert sum(1 for d in between if d.weekday() < 5 and d not in holidays) == 1
    decision = penalty_decision(facts(LEAVE_DEC, on=max(posted, date(2025, 12, 12))))
    receipt = decision.deadlines["receipt"]
    assert decision.deadlines["reduced"] - receipt == timedelta(days=20)
    assert decision.deadlines["full"] - receipt == timedelta(days=27)
