"""The first providers of a school's to-do list (kpas/site/todo.py), one per kind of work.

Each reads through the owning app's models for one school (already in the user's scope)
in a few set-based queries; rows are capped and "see all" links lead to the full lists.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final
from urllib.parse import urlencode

from django.urls import reverse

from kpas.site.todo import TodoContext, TodoItem, TodoLink, TodoRow, todo_provider_register
from kpas.tsm.models import Meeting
from penalties.models import PenaltyNotice
from penalties.rules import notice_to_improve_period
from penalties.vocabulary import Case
from referrals.models import Submission
from referrals.rules import Status
from returns.selectors import school_returns_for
from schools.calendar import academic_year_of
from schools.dashboard.alert_summary import alert_summary
from schools.models import Alert
from schools.school_calendar import calendar_for_school

ROWS: Final = 10
PENALTY_FORM: Final = "penalty-notice"
NOTICE_ENDING_SCHOOL_DAYS: Final = 10  # "ending soon": within the next 10 school days
RECENT_OUTCOME_DAYS: Final = 30


def form_url(slug: str, upn: str = "") -> str:
    url = reverse("referrals:start", args=[slug])
    return f"{url}?{urlencode({'upn': upn})}" if upn else url


def pupil_links(ctx: TodoContext, upn: str, name: str) -> tuple[TodoLink, ...]:
    """The pupil's record and "Send a form about this pupil" (pre-fills the pupil)."""
    return (
        TodoLink(
            "Record", reverse("schools:pupil-detail", args=[ctx.school.urn, upn]), f" of {name}"
        ),
        TodoLink(
            "Send a form about this pupil",
            reverse("pupil-forms", args=[upn]),
            f" ({name})",
        ),
    )


def _alerts(ctx: TodoContext, kind: str) -> list[Alert]:
    return list(
        Alert.objects.filter(
            school=ctx.school,
            kind=kind,
            academic_year=academic_year_of(ctx.today),
            cleared_on__isnull=True,
        )
        .select_related("pupil")
        .order_by("raised_on", "pk")
    )


def overdue_n_codes(ctx: TodoContext) -> list[TodoItem]:
    alerts = _alerts(ctx, Alert.Kind.OVERDUE_N_CODE)
    rows = tuple(
        TodoRow(
            a.pupil.display_name,
            alert_summary(a),
            pupil_links(ctx, a.pupil.upn, a.pupil.display_name),
        )
        for a in alerts[:ROWS]
    )
    return [
        TodoItem(
            "overdue-n-codes",
            "N codes not replaced within 5 school days",
            len(alerts),
            "Replace each N with the right code in your MIS (KSAH §13); the next register "
            "file clears it here.",
            rows,
            TodoLink("See every N code", reverse("schools:school-n-codes", args=[ctx.school.urn])),
            urgent=True,
        )
    ]


def _sent_for(ctx: TodoContext, slug: str, pupil_ids: set[int]) -> dict[int, Submission]:
    """The latest sent form of this kind per pupil."""
    sent: dict[int, Submission] = {}
    rows = (
        Submission.objects.filter(school=ctx.school, pathway=slug, pupil_id__in=pupil_ids)
        .exclude(status=Status.DRAFT)
        .order_by("submitted_at")
    )
    for submission in rows:
        sent[submission.pupil_id] = submission  # type: ignore[index]
    return sent


def penalty_threshold(ctx: TodoContext) -> list[TodoItem]:
    alerts = [
        a
        for a in Alert.objects.filter(
            school=ctx.school,
            kind=Alert.Kind.PENALTY_THRESHOLD,
            academic_year=academic_year_of(ctx.today),
        )
        .select_related("pupil")
        .order_by("-raised_on")
    ]
    sent = _sent_for(ctx, PENALTY_FORM, {a.pupil_id for a in alerts})
    waiting = [a for a in alerts if a.pupil_id not in sent]
    rows = []
    for alert in (waiting + [a for a in alerts if a.pupil_id in sent])[:ROWS]:
        name = alert.pupil.display_name
        request = sent.get(alert.pupil_id)
        if request is not None:
            detail = f"Request {request.reference} sent: {request.get_status_display().lower()}"
            links: tuple[TodoLink, ...] = (
                TodoLink(
                    "See the request",
                    reverse("referrals:submission", args=[request.reference]),
                    f" for {name}",
                ),
            )
        else:
            detail = alert_summary(alert)
            links = (
                TodoLink(
                    "Request a penalty notice",
                    form_url(PENALTY_FORM, alert.pupil.upn),
                    f" for {name}",
                ),
                *pupil_links(ctx, alert.pupil.upn, name),
            )
        rows.append(TodoRow(name, detail, links))
    return [
        TodoItem(
            "penalty-threshold",
            "Pupils who met the penalty notice threshold",
            len(alerts),
            f"{len(waiting)} without a request. 10 sessions of unauthorised absence in 10 "
            "school weeks (DOMAIN §5): consider a penalty notice request or other support. "
            "Requests already sent are shown with their state.",
            tuple(rows),
            urgent=bool(waiting),
        )
    ]


def returns_due(ctx: TodoContext) -> list[TodoItem]:
    """The returns app's entries still to return (one per pupil's episode, DOMAIN §8), the
    same the returns reminder and "Returns due" page count; overdue ones first."""
    returns = school_returns_for(ctx.user, ctx.school.urn, today=ctx.today)
    overdue = {e.pk for e in returns.overdue}
    ordered = sorted(returns.due, key=lambda e: e.pk not in overdue)
    rows = tuple(
        TodoRow(
            e.pupil.display_name,
            f"{e.get_kind_display()}: "
            + (
                f"overdue since {e.due_on:%-d %B %Y}"
                if e.pk in overdue and e.due_on
                else f"due {e.due_on:%-d %B %Y}"
                if e.due_on
                else "due date set when next term's dates are loaded"
            ),
            pupil_links(ctx, e.pupil.upn, e.pupil.display_name),
        )
        for e in ordered[:ROWS]
    )
    return [
        TodoItem(
            "returns-due",
            "Attendance and sickness returns due",
            len(returns.due),
            f"{len(overdue)} overdue. Pupils who met the criteria for a return (reg 13; "
            "KSAH §24) and are not returned yet. Several pupils can go on one form.",
            rows,
            TodoLink("See returns due", reverse("returns:due", args=[ctx.school.urn])),
            urgent=bool(overdue),
        )
    ]


def notices_to_improve_ending(ctx: TodoContext) -> list[TodoItem]:
    notices = list(
        PenaltyNotice.objects.filter(
            case=Case.NOTICE_TO_IMPROVE.value,
            pupil__enrolments__school=ctx.school,
            issued_on__gte=ctx.today - timedelta(days=120),
        )
        .select_related("pupil")
        .distinct()
    )
    if not notices:
        return []
    calendar = calendar_for_school(
        ctx.school.pk, {academic_year_of(ctx.today), academic_year_of(ctx.today) + 1}
    )
    horizon = None
    try:
        horizon = calendar.add_school_days(ctx.today, NOTICE_ENDING_SCHOOL_DAYS)
    except ValueError:
        horizon = ctx.today + timedelta(days=14)
    rows = []
    for notice in notices:
        period = notice_to_improve_period(calendar, notice.issued_on)
        if period is None or not ctx.today <= period.last_day <= horizon:
            continue
        name = notice.pupil.display_name
        rows.append(
            TodoRow(
                name,
                f"Notice to improve {notice.reference}: "
                f"its period ends {period.last_day:%-d %B %Y}",
                pupil_links(ctx, notice.pupil.upn, name),
            )
        )
    return [
        TodoItem(
            "notices-to-improve",
            "Notices to improve ending soon",
            len(rows),
            "At the end of the period, check whether attendance improved before asking for "
            "a penalty notice (DOMAIN §5).",
            tuple(rows[:ROWS]),
        )
    ]


def meetings_to_agree(ctx: TodoContext) -> list[TodoItem]:
    """Answers the authority is waiting for: Targeting Support Meeting dates to agree."""
    meetings = list(
        Meeting.objects.filter(
            school=ctx.school,
            status=Meeting.Status.PROPOSED,
            agreed_by_school=False,
            date__gte=ctx.today,
        ).order_by("date")
    )
    rows = tuple(
        TodoRow(
            f"{m.date:%A %-d %B %Y}", f"Targeting Support Meeting ({m.get_mode_display().lower()})"
        )
        for m in meetings[:ROWS]
    )
    return [
        TodoItem(
            "meetings-to-agree",
            "Meeting dates the authority is waiting for you to agree",
            len(meetings),
            "Agree each proposed date or move it to one that suits you.",
            rows,
            TodoLink("Agree or move the dates", reverse("tsm:diary")),
        )
    ]


def recent_outcomes(ctx: TodoContext) -> list[TodoItem]:
    since = ctx.today - timedelta(days=RECENT_OUTCOME_DAYS)
    closed = list(
        Submission.objects.filter(
            school=ctx.school, status=Status.CLOSED, closed_at__date__gte=since
        ).order_by("-closed_at")[:ROWS]
    )
    rows = tuple(
        TodoRow(
            f"{s.reference}: {s.get_pathway_display()}",
            f"{s.pupil_name + ': ' if s.pupil_name else ''}{s.outcome or 'Closed'}",
            (
                TodoLink(
                    "See the outcome",
                    reverse("referrals:submission", args=[s.reference]),
                    f" of {s.reference}",
                ),
            ),
        )
        for s in closed
    )
    return [
        TodoItem(
            "recent-outcomes",
            f"Outcomes of forms you sent (last {RECENT_OUTCOME_DAYS} days)",
            len(closed),
            "",
            rows,
            TodoLink("See everything you sent", reverse("referrals:submissions")),
        )
    ]


todo_provider_register("overdue_n_codes", overdue_n_codes, order=10)
todo_provider_register("returns_due", returns_due, order=20)
todo_provider_register("penalty_threshold", penalty_threshold, order=30)
todo_provider_register("notices_to_improve", notices_to_improve_ending, order=40)
todo_provider_register("meetings_to_agree", meetings_to_agree, order=50)
todo_provider_register("recent_outcomes", recent_outcomes, order=90)
