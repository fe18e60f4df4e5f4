"""The statutory clock each queue row shows (triage): CME enquiries due within 10 school days
of receipt, an exclusion's day 6 and governors' deadline, a part-time timetable's next review,
or the next deadline of the case the submission became. One calendar read per page's schools
(set-based), the rules in referrals.cases.clocks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from referrals.cases import clocks
from referrals.cases.selectors import open_cases_by_submission
from referrals.models import Submission
from referrals.pathway_names import PathwayName
from schools.calendar import SchoolCalendar, academic_year_of
from schools.school_calendar import calendars_for_schools


@dataclass(frozen=True)
class QueueClock:
    label: str
    due_on: date

    def overdue(self, today: date) -> bool:
        return self.due_on < today


def _d(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _clock(submission: Submission, calendar: SchoolCalendar, today: date) -> QueueClock | None:
    answers = submission.answers or {}
    received = timezone.localdate(submission.submitted_at) if submission.submitted_at else today
    if submission.pathway == PathwayName.CME:
        due = clocks.cme_enquiries_due(received, calendar)
        return QueueClock("Enquiries due", due) if due else None
    if submission.pathway == PathwayName.EXCLUSION:
        start = _d(answers.get("start_date"))
        if start is None:
            return None
        permanent = answers.get("exclusion_type") == "permanent"
        end = None if permanent else _d(answers.get("end_date"))
        sixth = clocks.day_six(start, end, calendar)
        days = clocks.governors_clock(
            permanent=permanent,
            term_days=clocks.school_days_from_sessions(int(answers.get("sessions") or 0)),
            public_exam=answers.get("public_exam") is True,
            representations=False,
        )
        notified = _d(answers.get("parents_told_date")) or start
        governors = clocks.governors_deadline(notified, days, calendar) if days else None
        if sixth and sixth >= today:
            return QueueClock("Day-6 provision", sixth)
        if governors:
            return QueueClock(f"Governors ({days} school days)", governors)
        return QueueClock("Day-6 provision", sixth) if sixth else None
    if submission.pathway == PathwayName.PART_TIME:
        reviews = [_d(r.get("date")) for r in answers.get("reviews") or [] if isinstance(r, dict)]
        review = clocks.next_review([d for d in reviews if d], today)
        return QueueClock("Review", review) if review else None
    return None


def queue_clocks(items: Sequence[Submission], today: date) -> dict[int, QueueClock]:
    """Each row's clock by submission id (rows without one are left out)."""
    cases = open_cases_by_submission(s.pk for s in items)
    school_ids = {s.school_id for s in items if s.school_id}
    years = {academic_year_of(today) - 1, academic_year_of(today), academic_year_of(today) + 1}
    calendars = calendars_for_schools(school_ids, years) if school_ids else {}
    found: dict[int, QueueClock] = {}
    for submission in items:
        case = cases.get(submission.pk)
        if case is not None:
            if case.due_on:
                found[submission.pk] = QueueClock("Case deadline", case.due_on)
            continue
        calendar = calendars.get(submission.school_id or 0)
        if calendar is None:
            continue
        clock = _clock(submission, calendar, today)
        if clock is not None:
            found[submission.pk] = clock
    return found
