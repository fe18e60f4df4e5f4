"""Writes for Targeting Support Meetings: the year's proposal, re-planning, agreeing and
moving dates, reminders (DOMAIN §12; KSAH §15 ii)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from django.conf import settings
from django.db import transaction

from kpas.base.audit import AuditAction, audit_record
from kpas.base.errors import ApplicationError
from kpas.base.models import User
from kpas.base.outbox import email_enqueue
from kpas.tsm.figures import (
    AttendanceBasis,
    last_complete_year_basis,
    national_percent,
    year_to_date_basis,
)
from kpas.tsm.models import Meeting, TsmPlan
from kpas.tsm.rules import (
    Frequency,
    HeldOrPlanned,
    MeetingNeed,
    place_meetings,
    replan,
    tsm_frequency,
    windows_for,
)
from schools.calendar import SchoolCalendar, academic_year_bounds, academic_year_of
from schools.models import School, SchoolMembership
from schools.school_calendar import term_calendars_for_schools

NOT_A_SCHOOL_DAY: Final = "Choose a day the school is open: not a weekend, holiday or closure."
OUTSIDE_THE_YEAR: Final = "Choose a day in this school year, from tomorrow on."
OFFICER_DAY_FULL: Final = "The officer already has the most meetings they can hold that day."
NOT_CHANGEABLE: Final = "This meeting has been held or is no longer needed."

LIVE: Final = (Meeting.Status.PROPOSED, Meeting.Status.AGREED)


def _no_national_frequency() -> Frequency:
    return Frequency(settings.TSM_NO_NATIONAL_FIGURE_FREQUENCY)


def _terms(calendar: SchoolCalendar, year: int) -> list[tuple[date, date]]:
    first, last = academic_year_bounds(year)
    return [(t.start, t.end) for t in calendar.terms if first <= t.start <= last]


def _booked(year: int) -> Counter[tuple[int, date]]:
    first, last = academic_year_bounds(year)
    rows = Meeting.objects.filter(
        status__in=LIVE, date__range=(first, last), officer__isnull=False
    ).values_list("officer_id", "date")
    return Counter((officer_id, day) for officer_id, day in rows if day is not None)


def _plan_fields(school: School, basis: AttendanceBasis, asked: bool) -> dict[str, object]:
    national = national_percent(school)
    frequency, why = tsm_frequency(
        attended=basis.attended,
        possible=basis.possible,
        national_percent=national,
        no_national_frequency=_no_national_frequency(),
        school_asked_termly=asked,
    )
    return {
        "frequency": frequency,
        "basis": why,
        "attended": basis.attended,
        "possible": basis.possible,
        "figures_period": basis.period,
        "national_percent": national,
        "school_asked_termly": asked,
    }


def _create_meetings(
    plan_windows: list[tuple[TsmPlan, int, tuple[date, date]]],
    calendars: dict[int, SchoolCalendar],
    *,
    year: int,
    not_before: date,
) -> list[Meeting]:
    """Place and store meetings: (plan, sequence, window) each."""
    needs = [
        MeetingNeed(
            school_id=plan.school_id,
            officer_id=plan.school.attendance_officer_id or 0,
            sequence=sequence,
            window=window,
            school_days=calendars[plan.school_id].school_days,
        )
        for plan, sequence, window in plan_windows
    ]
    placements = place_meetings(
        needs,
        daily_limit=settings.TSM_OFFICER_DAILY_LIMIT,
        booked=_booked(year),
        not_before=not_before,
    )
    meetings = [
        Meeting(
            plan=plan,
            school_id=plan.school_id,
            sequence=sequence,
            officer_id=plan.school.attendance_officer_id,
            # A school without a linked officer has no diary to place it in yet.
            date=placed.day if plan.school.attendance_officer_id else None,
            window_start=window[0],
            window_end=window[1],
        )
        for (plan, sequence, window), placed in zip(plan_windows, placements, strict=True)
    ]
    return Meeting.objects.bulk_create(meetings)


@dataclass(frozen=True)
class ProposalResult:
    plans_created: int
    meetings_created: int
    unplaced: int


@transaction.atomic
def tsm_year_propose(
    *, academic_year: int, today: date, not_before: date | None = None
) -> ProposalResult:
    """Propose the school year's meetings for every school without a plan for it yet, on
    the figures as of `today`, on days after `today` (or from `not_before`: the demo).

    Idempotent: a school with a plan is left as it is, so a second run creates nothing.
    """
    planned = TsmPlan.objects.filter(academic_year=academic_year).values_list("school_id")
    schools = list(School.objects.exclude(pk__in=planned).order_by("attendance_officer_id", "name"))
    if not schools:
        return ProposalResult(0, 0, 0)
    calendars = term_calendars_for_schools([s.pk for s in schools], [academic_year])
    plans, windows = [], []
    for school in schools:
        plan = TsmPlan(
            school=school,
            academic_year=academic_year,
            decided_on=today,
            **_plan_fields(school, last_complete_year_basis(school, today=today), False),
        )
        plans.append(plan)
    TsmPlan.objects.bulk_create(plans)
    for plan in plans:
        terms = _terms(calendars[plan.school_id], academic_year)
        for sequence, window in enumerate(windows_for(Frequency(plan.frequency), terms), 1):
            windows.append((plan, sequence, window))
    start = max(academic_year_bounds(academic_year)[0], not_before or today + timedelta(days=1))
    meetings = _create_meetings(windows, calendars, year=academic_year, not_before=start)
    return ProposalResult(len(plans), len(meetings), sum(m.date is None for m in meetings))


def _apply_replan(plan: TsmPlan, *, today: date) -> int:
    """Cancel and add meetings so the plan's frequency holds from today. Returns changes."""
    calendar = term_calendars_for_schools([plan.school_id], [plan.academic_year])
    existing = list(plan.meetings.exclude(status=Meeting.Status.CANCELLED))
    change = replan(
        frequency=Frequency(plan.frequency),
        meetings=[
            HeldOrPlanned(
                m.sequence,
                m.date or m.window_end,
                m.status == Meeting.Status.HELD,
                m.status == Meeting.Status.AGREED,
            )
            for m in existing
        ],
        terms=_terms(calendar[plan.school_id], plan.academic_year),
        today=today,
    )
    cancelled = plan.meetings.filter(sequence__in=change.cancel, status=Meeting.Status.PROPOSED)
    count = cancelled.update(status=Meeting.Status.CANCELLED)
    next_sequence = max((m.sequence for m in plan.meetings.all()), default=0) + 1
    windows = [(plan, next_sequence + i, w) for i, w in enumerate(change.add)]
    added = _create_meetings(
        windows, calendar, year=plan.academic_year, not_before=today + timedelta(days=1)
    )
    return count + len(added)


@transaction.atomic
def tsm_school_replan(*, school_id: int, today: date) -> bool:
    """Re-decide one school's frequency on this year's figures to date; re-plan its meetings
    to come when it has crossed the national average. True when anything changed.
    Idempotent: a second run finds the frequency unchanged."""
    plan = (
        TsmPlan.objects.select_for_update()
        .select_related("school")
        .filter(school_id=school_id, academic_year=academic_year_of(today))
        .first()
    )
    if plan is None:
        return False
    fields = _plan_fields(
        plan.school, year_to_date_basis(plan.school, today=today), plan.school_asked_termly
    )
    if fields["frequency"] == plan.frequency:
        return False
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.decided_on = today
    plan.save()
    _apply_replan(plan, today=today)
    return True


def _may_act(user: User, meeting: Meeting) -> str:
    """Which side the user agrees for; "" if neither. Scope was checked by the selector."""
    if user.is_school_staff:
        return "school"
    if user.is_authority_staff:
        return "officer"
    return ""


def _locked(meeting_id: int) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("school").get(pk=meeting_id)
    if meeting.status not in LIVE:
        raise ApplicationError(NOT_CHANGEABLE, code="tsm_not_changeable")
    return meeting


@transaction.atomic
def tsm_meeting_agree(*, actor: User, meeting_id: int) -> Meeting:
    """The actor's side agrees the date; once both sides have, the meeting is agreed.
    Idempotent."""
    meeting = _locked(meeting_id)
    side = _may_act(actor, meeting)
    if meeting.date is None or not side:
        raise ApplicationError(NOT_CHANGEABLE, code="tsm_not_changeable")
    setattr(meeting, f"agreed_by_{side}", True)
    if meeting.agreed_by_school and meeting.agreed_by_officer:
        meeting.status = Meeting.Status.AGREED
    meeting.save()
    audit_record(actor=actor, action=AuditAction.TSM_AGREED, obj=meeting, detail={"side": side})
    return meeting


@transaction.atomic
def tsm_meeting_move(*, actor: User, meeting_id: int, day: date, mode: str, today: date) -> Meeting:
    """Move a meeting to another day (and say how it is held). The mover agrees the new
    date; the other side is asked again."""
    meeting = _locked(meeting_id)
    side = _may_act(actor, meeting)
    first, last = academic_year_bounds(meeting.plan.academic_year)
    if not (max(first, today + timedelta(days=1)) <= day <= last):
        raise ApplicationError(OUTSIDE_THE_YEAR, code="tsm_outside_year")
    calendar = term_calendars_for_schools([meeting.school_id], [meeting.plan.academic_year])
    if not calendar[meeting.school_id].is_school_day(day):
        raise ApplicationError(NOT_A_SCHOOL_DAY, code="tsm_not_school_day")
    if meeting.officer_id and day != meeting.date:
        busy = (
            Meeting.objects.filter(officer_id=meeting.officer_id, date=day, status__in=LIVE)
            .exclude(pk=meeting.pk)
            .count()
        )
        if busy >= settings.TSM_OFFICER_DAILY_LIMIT:
            raise ApplicationError(OFFICER_DAY_FULL, code="tsm_officer_day_full")
    previous = meeting.date
    meeting.date = day
    meeting.mode = Meeting.Mode(mode)
    meeting.agreed_by_school = side == "school"
    meeting.agreed_by_officer = side == "officer"
    meeting.status = Meeting.Status.PROPOSED
    meeting.save()
    audit_record(
        actor=actor,
        action=AuditAction.TSM_MOVED,
        obj=meeting,
        detail={"from": str(previous), "to": str(day), "mode": mode},
    )
    return meeting


@transaction.atomic
def tsm_termly_ask(*, actor: User, school: School, today: date) -> TsmPlan:
    """A school asks for termly meetings (WTISA paras 95-96): it has them. Idempotent."""
    plan = TsmPlan.objects.select_for_update().get(
        school=school, academic_year=academic_year_of(today)
    )
    if plan.school_asked_termly:
        return plan
    plan.school_asked_termly = True
    previous = plan.frequency
    plan.frequency, plan.basis = Frequency.TERMLY, "school_asked"
    plan.save()
    if previous != Frequency.TERMLY:
        _apply_replan(plan, today=today)
    audit_record(actor=actor, action=AuditAction.TSM_TERMLY_ASKED, obj=plan)
    return plan


@transaction.atomic
def tsm_reminders_queue(*, today: date) -> int:
    """A reminder to the officer and the school's staff for each meeting in the next
    `TSM_REMINDER_DAYS` days. One per meeting and date (a moved meeting is reminded again)."""
    horizon = today + timedelta(days=settings.TSM_REMINDER_DAYS)
    meetings = list(
        Meeting.objects.filter(status__in=LIVE, date__range=(today, horizon)).select_related(
            "school", "officer"
        )
    )
    staff: dict[int, list[str]] = {}
    for school_id, email in SchoolMembership.objects.filter(
        school_id__in={m.school_id for m in meetings}
    ).values_list("school_id", "user__email"):
        staff.setdefault(school_id, []).append(email)
    for meeting in meetings:
        officer = meeting.officer
        email_enqueue(
            key=f"tsm-reminder:{meeting.pk}:{meeting.date}",
            purpose="tsm_reminder",
            to=[*(staff.get(meeting.school_id, [])), *([officer.email] if officer else [])],
            subject=f"Targeting Support Meeting on {meeting.date:%-d %B %Y}: {meeting.school}",
            body=(
                f"This is a reminder of the Targeting Support Meeting between "
                f"{meeting.school} and {officer.full_name if officer else 'the authority'} "
                f"on {meeting.date:%A %-d %B %Y} ({meeting.get_mode_display().lower()}).\n\n"
                f"Status: {meeting.get_status_display()}."
            ),
        )
    return len(meetings)
