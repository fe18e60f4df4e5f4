"""Due and overdue reminders, and each officer's one daily digest (STYLE habit 16: rows
first). Set-based: one query for the cases, one bulk insert, one email per officer keyed by
officer and day, so a second run the same day creates and sends nothing new."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Final

from django.db import transaction

from kpas.base.models import User
from kpas.base.outbox import email_enqueue
from referrals.cases.models import Case, CaseReminder
from schools.calendar import add_working_days, england_bank_holidays

DUE_WITHIN_WORKING_DAYS: Final = 5  # [our setting] remind a working week ahead
DIGEST_PURPOSE: Final = "cases.digest"


@transaction.atomic
def reminders_create(*, today: date) -> int:
    """Reminders for every open case whose next deadline is near or past; returns how many
    digests were queued."""
    horizon = add_working_days(
        today, DUE_WITHIN_WORKING_DAYS, england_bank_holidays({today.year, today.year + 1})
    )
    cases = Case.objects.filter(closed_at=None, due_on__isnull=False, due_on__lte=horizon)
    rows = [
        CaseReminder(
            case_id=case_id,
            officer_id=officer_id,
            kind=CaseReminder.Kind.OVERDUE if due_on < today else CaseReminder.Kind.DUE,
            due_on=due_on,
            created_on=today,
        )
        for case_id, officer_id, due_on in cases.values_list("pk", "officer_id", "due_on")
    ]
    CaseReminder.objects.bulk_create(rows, ignore_conflicts=True)
    # Each officer's digest lists everything due or overdue for them today.
    by_officer: dict[int, list[Case]] = defaultdict(list)
    for case in cases.exclude(officer=None).select_related("school").order_by("due_on"):
        by_officer[case.officer_id].append(case)  # type: ignore[index]
    officers = User.objects.in_bulk(list(by_officer))
    for officer_id, items in by_officer.items():
        officer = officers[officer_id]
        lines = [
            f"- {'OVERDUE ' if c.due_on < today else ''}{c.due_on:%d %b %Y}: "  # type: ignore[operator]
            f"{c.get_kind_display()} case {c.pk}, {c.school.name} (/cases/{c.pk}/)"
            for c in items
        ]
        email_enqueue(
            key=f"cases:digest:{officer_id}:{today:%Y%m%d}",
            purpose=DIGEST_PURPOSE,
            to=[officer.email],
            subject=f"Your casework deadlines, {today:%d %B %Y}",
            body="Cases with a deadline in the next working week or past it:\n\n"
            + "\n".join(lines)
            + "\n",
        )
    return len(by_officer)
