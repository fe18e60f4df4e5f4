"""Proposing, re-planning, agreeing, moving and reminding TSMs on real registers
(DOMAIN §12; KSAH §15 ii)."""

from __future__ import annotations

from datetime import date

import pytest

from kpas.base.errors import ApplicationError
from kpas.base.models import OutboxEmail
from kpas.tsm.models import Meeting, TsmPlan
from kpas.tsm.services import (
    NOT_A_SCHOOL_DAY,
    OFFICER_DAY_FULL,
    tsm_meeting_agree,
    tsm_meeting_move,
    tsm_reminders_queue,
    tsm_school_replan,
    tsm_termly_ask,
    tsm_year_propose,
)
from schools.models import Enrolment, Mark, Pupil
from schools.projections import projections_rebuild
from schools.school_calendar import calendar_for_school
from tests.factories.attendance import (
    AS_OF,
    TERM_START,
    bulk_register,
    sessions,
)
from tests.factories.register import school_days
from tests.kpas.tsm_terms import SPRING, SUMMER

pytestmark = pytest.mark.django_db


def _meetings(school) -> list[Meeting]:  # type: ignore[no-untyped-def]
    return list(
        Meeting.objects.filter(school=school).exclude(status="cancelled").order_by("sequence")
    )


def test_below_national_gets_a_meeting_each_term_and_above_gets_one(proposed) -> None:  # type: ignore[no-untyped-def]
    below, above = proposed["below"], proposed["above"]
    assert TsmPlan.objects.get(school=below).frequency == "termly"
    assert TsmPlan.objects.get(school=below).basis == "below_national"
    assert TsmPlan.objects.get(school=above).frequency == "yearly"
    termly = _meetings(below)
    assert len(termly) == 3
    assert termly[0].date and AS_OF < termly[0].date <= date(2025, 12, 19)
    assert termly[1].date and SPRING[0] <= termly[1].date <= SPRING[1]
    assert termly[2].date and SUMMER[0] <= termly[2].date <= SUMMER[1]
    assert len(_meetings(above)) == 1
    calendar = calendar_for_school(below.pk, [2025])
    for meeting in Meeting.objects.all():
        assert calendar.is_school_day(meeting.date)  # no holiday, closure or weekend
    # One officer, limit of one a day: no two meetings share a day.
    days = list(Meeting.objects.values_list("date", flat=True))
    assert len(days) == len(set(days))


def test_proposal_is_idempotent(proposed) -> None:  # type: ignore[no-untyped-def]
    before = list(Meeting.objects.values_list("pk", "date"))
    again = tsm_year_propose(academic_year=2025, today=AS_OF)
    assert (again.plans_created, again.meetings_created) == (0, 0)
    assert list(Meeting.objects.values_list("pk", "date")) == before


def test_replan_when_a_school_falls_below(proposed) -> None:  # type: ignore[no-untyped-def]
    above = proposed["above"]
    assert tsm_school_replan(school_id=above.pk, today=AS_OF) is False  # unchanged: nothing
    # Every pupil now misses every session of the last fortnight: well below the average.
    pupils = list(
        Pupil.objects.filter(pk__in=Enrolment.objects.filter(school=above).values("pupil"))
    )
    days = school_days(above, date(2025, 9, 15), AS_OF)
    Mark.objects.filter(school=above).delete()
    Mark.objects.filter(school=above).delete()
    bulk_register(above, pupils, TERM_START, AS_OF, {p.pk: sessions(days, "O") for p in pupils})
    projections_rebuild(school_id=above.pk, academic_year=2025)
    assert tsm_school_replan(school_id=above.pk, today=AS_OF) is True
    plan = TsmPlan.objects.get(school=above)
    assert (plan.frequency, plan.basis) == ("termly", "below_national")
    meetings = _meetings(above)
    assert {m.window_start <= SPRING[1] and m.window_end >= SPRING[0] for m in meetings} == {
        True,
        False,
    }
    terms_with_meeting = {
        next(
            i
            for i, (s, e) in enumerate([(TERM_START, date(2025, 12, 19)), SPRING, SUMMER])
            if s <= m.date <= e
        )  # type: ignore[operator]
        for m in meetings
    }
    assert {1, 2} <= terms_with_meeting
    assert tsm_school_replan(school_id=above.pk, today=AS_OF) is False  # idempotent


def test_school_may_ask_for_termly(proposed) -> None:  # type: ignore[no-untyped-def]
    above = proposed["above"]
    tsm_termly_ask(actor=proposed["head"], school=above, today=AS_OF)
    plan = TsmPlan.objects.get(school=above)
    assert (plan.frequency, plan.basis, plan.school_asked_termly) == (
        "termly",
        "school_asked",
        True,
    )
    assert len(_meetings(above)) >= 2
    # Figures never take a requested termly plan away.
    assert tsm_school_replan(school_id=above.pk, today=AS_OF) is False


def test_both_sides_agree_and_either_may_move(proposed) -> None:  # type: ignore[no-untyped-def]
    below, officer, head = proposed["below"], proposed["officer"], proposed["head"]
    first = _meetings(below)[0]
    assert tsm_meeting_agree(actor=officer, meeting_id=first.pk).status == "proposed"
    assert tsm_meeting_agree(actor=head, meeting_id=first.pk).status == "agreed"
    with pytest.raises(ApplicationError, match=NOT_A_SCHOOL_DAY):
        tsm_meeting_move(
            actor=head, meeting_id=first.pk, day=date(2025, 12, 25), mode="online", today=AS_OF
        )
    other = _meetings(below)[1]  # the officer's day is full with it (limit 1)
    with pytest.raises(ApplicationError, match=OFFICER_DAY_FULL):
        tsm_meeting_move(
            actor=head, meeting_id=first.pk, day=other.date, mode="online", today=AS_OF
        )
    booked = set(Meeting.objects.values_list("date", flat=True))
    free = next(
        d for d in school_days(below, date(2025, 12, 1), date(2025, 12, 19)) if d not in booked
    )
    moved = tsm_meeting_move(actor=head, meeting_id=first.pk, day=free, mode="online", today=AS_OF)
    assert (moved.date, moved.mode, moved.status) == (free, "online", "proposed")
    assert (moved.agreed_by_school, moved.agreed_by_officer) == (True, False)  # asked again


def test_reminders_go_once_through_the_outbox(proposed) -> None:  # type: ignore[no-untyped-def]
    first = _meetings(proposed["below"])[0]
    count = tsm_reminders_queue(today=first.date)
    assert count >= 1
    emails = OutboxEmail.objects.filter(purpose="tsm_reminder")
    mine = emails.get(key=f"tsm-reminder:{first.pk}:{first.date}")
    assert set(mine.to) == {"officer@example.test", "head@example.test"}
    total = emails.count()
    tsm_reminders_queue(today=first.date)
    assert OutboxEmail.objects.filter(purpose="tsm_reminder").count() == total
