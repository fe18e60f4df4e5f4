"""Each case's clocks and its next deadline (`Case.due_on`), from the submission's answers,
the case's data and the school's calendar (clocks.py holds the rules). Called by the
services whenever a case opens or moves; the exclusions register reads the stored clocks."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

from django.utils import timezone

from referrals.cases import clocks
from referrals.cases.models import Case
from referrals.cases.rules import CaseKind
from schools.calendar import SchoolCalendar, academic_year_of, england_bank_holidays
from schools.school_calendar import calendar_for_school


def _d(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _calendar(case: Case, around: date) -> SchoolCalendar:
    year = academic_year_of(around)
    return calendar_for_school(case.school_id, [year, year + 1])


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def exclusion_clocks(case: Case, answers: dict[str, Any], today: date) -> dict[str, Any]:
    """Day 6, the governors' deadline (15 or 50 school days), the yearly 45-day cap with
    back-to-back suspensions joined, and the independent review window (DOMAIN §10)."""
    start = _d(answers.get("start_date")) or today
    end = _d(answers.get("end_date"))
    permanent = answers.get("exclusion_type") == "permanent"
    calendar = _calendar(case, start)
    days = (
        Fraction(0)
        if permanent
        else clocks.school_days_from_sessions(int(answers.get("sessions") or 0))
    )
    # This pupil's other suspensions at the school this school year (set-based: one query).
    year = academic_year_of(start)
    others = [
        other
        for other in Case.objects.filter(
            pupil_id=case.pupil_id or 0, school_id=case.school_id, kind=CaseKind.EXCLUSION
        ).exclude(pk=case.pk)
        if (s := _d(other.data.get("start_on"))) and academic_year_of(s) == year
    ]
    term = next((t for t in calendar_terms(calendar) if t[0] <= start <= t[1]), None)
    term_days = days + sum(
        (
            Fraction(o.data.get("days", "0"))
            for o in others
            if term and term[0] <= _d(o.data["start_on"]) <= term[1]  # type: ignore[operator]
        ),
        Fraction(0),
    )
    year_days = days + sum((Fraction(o.data.get("days", "0")) for o in others), Fraction(0))
    periods = [(start, end or start)] + [
        (_d(o.data["start_on"]), _d(o.data.get("end_on")) or _d(o.data["start_on"])) for o in others
    ]
    joined = clocks.join_back_to_back(periods, calendar)  # type: ignore[arg-type]
    mine = next(p for p in joined if p[0] <= start <= p[1])
    governors = clocks.governors_clock(
        permanent=permanent,
        term_days=term_days,
        public_exam=answers.get("public_exam") is True,
        representations=bool(case.data.get("record_representations")),
    )
    notified = _d(answers.get("parents_told_date")) or start
    out: dict[str, Any] = {
        "start_on": start.isoformat(),
        "end_on": _iso(end),
        "permanent": permanent,
        "days": str(days),
        "term_days": str(term_days),
        "year_days": str(year_days),
        "joined_from": mine[0].isoformat(),
        "joined_to": mine[1].isoformat(),
        "day_six": _iso(clocks.day_six(mine[0], None if permanent else mine[1], calendar)),
        "governors_days": governors,
        "governors_due": _iso(clocks.governors_deadline(notified, governors, calendar))
        if governors
        else None,
        "cap": clocks.yearly_cap_status(year_days),
    }
    decided = case.data.get("record_governors")
    if decided:
        notice = _d(decided.get("notice_given_on"))
        if notice:
            out["review_due"] = _iso(
                clocks.review_request_deadline(
                    notice_on=notice,
                    by_post=decided.get("notice_by") == "post",
                    calendar=_calendar(case, notice),
                    bank_holidays=england_bank_holidays({notice.year, notice.year + 1}),
                )
            )
    return out


def calendar_terms(calendar: SchoolCalendar) -> list[tuple[date, date]]:
    from schools.calendar import terms_of

    return [(t.start, t.end) for t in terms_of(calendar)]


def case_clocks(case: Case, today: date) -> dict[str, Any]:
    """The clocks to keep on the case for its kind (stored in `data["clocks"]`)."""
    submission = case.submission
    answers = submission.answers if submission is not None else {}
    if case.kind == CaseKind.EXCLUSION:
        return exclusion_clocks(case, answers, today)
    if case.kind == CaseKind.CME:
        received = (
            timezone.localdate(submission.submitted_at)
            if submission is not None and submission.submitted_at
            else today
        )
        return {
            "enquiries_due": _iso(clocks.cme_enquiries_due(received, _calendar(case, received)))
        }
    if case.kind == CaseKind.PART_TIME:
        reviews = [_d(r.get("date")) for r in answers.get("reviews") or [] if isinstance(r, dict)]
        review = case.data.get("review") or {}
        planned = [d for d in [*reviews, _d(review.get("next_review_on"))] if d]
        flags = [
            f for f in answers.get("pupil_flags") or [] if f in ("ehcp", "social_worker", "in_care")
        ]
        return {
            "next_review": _iso(clocks.next_review(planned, today)),
            "end_on": review.get("end_on") or answers.get("proposed_end"),
            "flags": flags,
        }
    return {}


# KSAH §18: the services to consult (EHCP, social care, in care) are flagged on the register.
PART_TIME_FLAGS = ("ehcp", "social_worker", "in_care")

# The clock that is the case's next deadline while the case is in these states.
DUE_WHILE: dict[str, tuple[tuple[str, frozenset[str]], ...]] = {
    CaseKind.EXCLUSION: (
        ("day_six", frozenset({"notified"})),
        ("governors_due", frozenset({"notified", "provision"})),
        ("review_due", frozenset({"governors"})),
    ),
    CaseKind.CME: (("enquiries_due", frozenset({"referred", "enquiries"})),),
    CaseKind.PART_TIME: (("next_review", frozenset({"active"})), ("end_on", frozenset({"active"}))),
}
STATUTORY_DUE: dict[str, tuple[str, str]] = {
    "aim_scheduled": ("schedule_aim", "meeting_on"),
    "pace_offered": ("offer_pace", "interview_on"),
}


def case_due_on(case: Case) -> date | None:
    """The earliest deadline that still applies in the case's state."""
    if case.closed_at is not None:
        return None
    if case.kind == CaseKind.STATUTORY and case.status in STATUTORY_DUE:
        action, name = STATUTORY_DUE[case.status]
        return _d((case.data.get(action) or {}).get(name))
    stored = case.data.get("clocks") or {}
    dates = [
        d
        for name, states in DUE_WHILE.get(case.kind, ())
        if case.status in states and (d := _d(stored.get(name)))
    ]
    return min(dates) if dates else None


def case_deadlines_refresh(case: Case, today: date) -> None:
    """Recompute the clocks and the next deadline on the (locked) case; the caller saves."""
    computed = case_clocks(case, today)
    if computed:
        case.data = {**case.data, "clocks": computed}
        if case.kind == CaseKind.EXCLUSION:
            case.data = {
                **case.data,
                "start_on": computed["start_on"],
                "end_on": computed["end_on"],
                "days": computed["days"],
            }
    case.due_on = case_due_on(case)
