"""To-do providers from casework and the Digital Front Door (issue 14 item 1): part-time
timetable reviews due, and answers the authority is waiting for (a form the officer asked
the school about, with no answer since). Registered beside kpas/site/todo_providers.py."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from django.urls import reverse

from kpas.site.todo import TodoContext, TodoItem, TodoLink, TodoRow, todo_provider_register
from kpas.site.todo_providers import ROWS, pupil_links
from referrals.cases.rules import CaseKind
from referrals.cases.selectors import case_list_for
from referrals.models import Submission, SubmissionEvent
from referrals.rules import Status
from schools.calendar import academic_year_of
from schools.school_calendar import calendar_for_school

REVIEW_DUE_SCHOOL_DAYS: Final = 10  # a review is "due" within the next 10 school days


def _horizon(ctx: TodoContext, school_days: int) -> date:
    """The day `school_days` school days after today on the school's calendar (two weeks
    when its term dates are not loaded that far)."""
    year = academic_year_of(ctx.today)
    calendar = calendar_for_school(ctx.school.pk, {year, year + 1})
    try:
        return calendar.add_school_days(ctx.today, school_days)
    except ValueError:  # CalendarRangeError included
        return ctx.today + timedelta(days=14)


def _iso(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def part_time_reviews_due(ctx: TodoContext) -> list[TodoItem]:
    """Active part-time timetables whose next review (the case's clock, KSAH §18) is past or
    within the next 10 school days."""
    cases = list(
        case_list_for(ctx.user).filter(
            school=ctx.school, kind=CaseKind.PART_TIME, closed_at__isnull=True
        )
    )
    if not cases:
        return []
    horizon = _horizon(ctx, REVIEW_DUE_SCHOOL_DAYS)
    due = sorted(
        (
            (review, case)
            for case in cases
            if (review := _iso((case.data.get("clocks") or {}).get("next_review")))
            and review <= horizon
        ),
        key=lambda pair: (pair[0], pair[1].pk),
    )
    rows = []
    for review, case in due[:ROWS]:
        name = case.pupil.display_name if case.pupil else f"Case {case.pk}"
        when = "was due" if review < ctx.today else "is due"
        links: tuple[TodoLink, ...] = (
            TodoLink("See the case", reverse("cases:case", args=[case.pk]), f" of {name}"),
        )
        if case.pupil:
            links += pupil_links(ctx, case.pupil.upn, name)
        rows.append(TodoRow(name, f"Part-time timetable review {when} {review:%-d %B %Y}", links))
    return [
        TodoItem(
            "part-time-reviews",
            "Part-time timetable reviews due",
            len(due),
            "Review each part-time timetable with the family and the services involved by "
            "the date agreed, and record it (KSAH §18; DOMAIN §11).",
            tuple(rows),
            urgent=any(review < ctx.today for review, _ in due),
        )
    ]


def answers_awaited(ctx: TodoContext) -> list[TodoItem]:
    """Forms the authority asked the school about whose latest question has no answer after
    it (as referrals.selectors.question_open, for all the school's open forms at once)."""
    last: dict[int, tuple[str, SubmissionEvent]] = {}
    events = (
        SubmissionEvent.objects.filter(
            submission__school=ctx.school,
            submission__status__in=(Status.SUBMITTED, Status.TRIAGED),
            kind__in=(SubmissionEvent.Kind.QUESTION, SubmissionEvent.Kind.ANSWER),
        )
        .select_related("submission")
        .order_by("occurred_at", "pk")
    )
    for event in events:
        last[event.submission_id] = (event.kind, event)  # type: ignore[index]
    waiting = sorted(
        (e for kind, e in last.values() if kind == SubmissionEvent.Kind.QUESTION),
        key=lambda e: e.occurred_at,
    )
    rows = []
    for event in waiting[:ROWS]:
        submission: Submission = event.submission
        who = f"{submission.pupil_name}: " if submission.pupil_name else ""
        rows.append(
            TodoRow(
                f"{submission.reference}: {submission.get_pathway_display()}",
                f"{who}asked on {event.occurred_at:%-d %B %Y}: “{event.message[:200]}”",
                (
                    TodoLink(
                        "Answer",
                        reverse("referrals:submission", args=[submission.reference]),
                        f" the question about {submission.reference}",
                    ),
                ),
            )
        )
    return [
        TodoItem(
            "answers-awaited",
            "Answers the authority is waiting for",
            len(waiting),
            "An officer asked about a form you sent: answer on the form's page.",
            tuple(rows),
            urgent=True,
        )
    ]


todo_provider_register("answers_awaited", answers_awaited, order=15)
todo_provider_register("part_time_reviews", part_time_reviews_due, order=35)
