"""Reminders to schools before and after a return's deadline (KSAH §24), through the outbox:
each email a row with a key of its own, so a re-run or a retried task sends nothing twice."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db import transaction

from kpas.base.models import OutboxEmail
from kpas.base.outbox import email_enqueue
from returns.models import ReturnEntry
from schools.calendar import CalendarRangeError, academic_year_of
from schools.models import School, SchoolMembership
from schools.school_calendar import calendars_for_schools

PURPOSE = "returns.reminder"


def reminder_days_before() -> int:
    return int(getattr(settings, "RETURNS_REMINDER_SCHOOL_DAYS_BEFORE", 5))


@transaction.atomic
def return_reminders_enqueue(*, today: date) -> int:
    """Store today's reminders: one before each period's due date (from N school days before
    it) and one for each date a pupil still to return went past. Returns how many were new
    (already stored ones are not counted). Pupils are counted, never named, in an email."""
    open_rows = ReturnEntry.objects.filter(status=ReturnEntry.Status.DUE, due_on__isnull=False)
    by_school: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for school_id, due_on in open_rows.values_list("school_id", "due_on"):
        if due_on is not None:
            by_school[school_id][due_on] += 1
    if not by_school:
        return 0
    year = academic_year_of(today)
    calendars = calendars_for_schools(by_school, [year - 1, year, year + 1])
    schools = School.objects.in_bulk(list(by_school))
    staff: dict[int, list[str]] = defaultdict(list)
    for school_id, email in SchoolMembership.objects.filter(
        school_id__in=by_school, user__is_active=True
    ).values_list("school_id", "user__email"):
        staff[school_id].append(email)
    before = reminder_days_before()
    wanted: list[tuple[str, str, str, list[str]]] = []
    for school_id, dues in by_school.items():
        if not staff[school_id]:
            continue
        school = schools[school_id]
        for due_on, count in sorted(dues.items()):
            if due_on < today:
                key, subject = f"returns:overdue:{school_id}:{due_on}", "A return is overdue"
                body = (
                    f"{school.name}: {count} pupil(s) due in a return by {due_on:%d %B %Y} "
                    "have not been returned. Please send the return now from Returns due."
                )
            else:
                try:
                    starts = calendars[school_id].add_school_days(due_on, -before)
                except CalendarRangeError:
                    starts = due_on
                if today < starts:
                    continue
                key, subject = f"returns:before:{school_id}:{due_on}", "A return is due soon"
                body = (
                    f"{school.name}: {count} pupil(s) need a return by {due_on:%d %B %Y}. "
                    "Send it from Returns due in the attendance service."
                )
            wanted.append((key, subject, body, staff[school_id]))
    held = set(
        OutboxEmail.objects.filter(key__in=[w[0] for w in wanted]).values_list("key", flat=True)
    )
    for key, subject, body, to in wanted:
        email_enqueue(key=key, purpose=PURPOSE, to=to, subject=subject, body=body)
    return len({w[0] for w in wanted} - held)
