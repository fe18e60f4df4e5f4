"""The meetings diary: officers and schools agree or move dates (DOMAIN §12), and the beat
tasks run on a real worker, idempotently."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kpas.tsm.models import Meeting, TsmPlan
from kpas.tsm.services import NOT_A_SCHOOL_DAY
from kpas.tsm.tasks import propose_year_task, replan_all_task, send_reminders_task
from schools.calendar import academic_year_of
from schools.models import TermDate

NEXT_YEAR_TERMS = (
    (date(2026, 9, 2), date(2026, 12, 18)),
    (date(2027, 1, 4), date(2027, 3, 26)),
    (date(2027, 4, 12), date(2027, 7, 21)),
)


@pytest.fixture
def this_year(world):  # type: ignore[no-untyped-def]
    """The current school year's terms, and its proposal made today."""
    for start, end in NEXT_YEAR_TERMS:
        TermDate.objects.get_or_create(school=None, start=start, end=end, kind="term")
    return world


@pytest.mark.django_db
def test_officer_agrees_all_and_school_agrees_one(client, this_year) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    from kpas.tsm.services import tsm_year_propose

    tsm_year_propose(academic_year=academic_year_of(today), today=today)
    client.force_login(this_year["officer"])
    page = client.get(reverse("tsm:diary")).content.decode()
    assert "Below Primary" in page and "Agree all proposed dates" in page
    client.post(reverse("tsm:agree_all"))
    live = Meeting.objects.exclude(date=None)
    assert live.exists() and all(m.agreed_by_officer for m in live)
    first = Meeting.objects.filter(school=this_year["below"]).exclude(date=None).order_by("date")[0]
    client.force_login(this_year["head"])
    client.post(reverse("tsm:agree", args=[first.pk]))
    assert Meeting.objects.get(pk=first.pk).status == "agreed"
    # Moving to Christmas Day is refused with the reason; a school day is accepted.
    christmas = {"day": "25", "month": "12", "year": "2026", "mode": "online"}
    response = client.post(reverse("tsm:move", args=[first.pk]), christmas)
    assert NOT_A_SCHOOL_DAY in response.content.decode()
    taken = set(Meeting.objects.values_list("date", flat=True))
    day = next(
        d
        for d in (first.date + timedelta(days=n) for n in range(1, 60))  # type: ignore[operator]
        if d.weekday() < 5 and d not in taken and d <= date(2026, 12, 18)
    )
    fields = {"day": day.day, "month": day.month, "year": day.year, "mode": "online"}
    response = client.post(reverse("tsm:move", args=[first.pk]), fields)
    assert response.status_code == 302
    moved = Meeting.objects.get(pk=first.pk)
    assert (moved.date, moved.status, moved.agreed_by_school, moved.agreed_by_officer) == (
        day,
        "proposed",
        True,
        False,
    )


@pytest.mark.django_db(transaction=True)
def test_beat_tasks_on_a_real_worker_are_idempotent(this_year, celery_worker_all_queues) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate().isoformat()
    first = propose_year_task.delay(today).get(timeout=60)
    assert first["plans"] == 2 and first["meetings"] >= 4
    assert propose_year_task.delay(today).get(timeout=60) == {"plans": 0, "meetings": 0}
    assert replan_all_task.delay(today).get(timeout=60) == 2
    assert TsmPlan.objects.count() == 2
    meetings = Meeting.objects.count()
    soonest = Meeting.objects.exclude(date=None).order_by("date").first()
    assert soonest is not None
    sent = send_reminders_task.delay(soonest.date.isoformat()).get(timeout=60)
    assert sent >= 1
    assert send_reminders_task.delay(soonest.date.isoformat()).get(timeout=60) == sent
    assert Meeting.objects.count() == meetings
