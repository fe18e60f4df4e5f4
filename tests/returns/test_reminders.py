"""Reminders before and after a return's deadline (KSAH §24): stored in the outbox once,
whatever the number of runs; a worker killed mid-send leaves the row to the outbox's sweep."""

from __future__ import annotations

from datetime import date

import pytest

from kpas.base.models import OutboxEmail
from returns.models import ReturnEntry, ReturnPeriod
from returns.reminders import return_reminders_enqueue
from returns.tasks import send_reminders_task
from schools.models import SchoolMembership
from tests.factories import UserFactory
from tests.factories.register import pupil_at, school_with_terms

pytestmark = pytest.mark.django_db
DUE = date(2025, 12, 12)  # a Friday; 5 school days before: Friday 5 December


@pytest.fixture
def school():  # type: ignore[no-untyped-def]
    school = school_with_terms()
    SchoolMembership.objects.create(user=UserFactory(email="head@school.test"), school=school)
    period = ReturnPeriod.objects.create(
        school=school, cycle="termly", starts=date(2025, 9, 3), ends=date(2025, 12, 19),
        due_on=DUE,
    )  # fmt: skip
    for _ in range(2):
        ReturnEntry.objects.create(
            school=school, pupil=pupil_at(school), kind="attendance",
            episode_key="2025-09-08", period=period, met_on=date(2025, 9, 19), due_on=DUE,
        )  # fmt: skip
    return school


@pytest.mark.parametrize(
    ("today", "keys"),
    [
        pytest.param(date(2025, 12, 4), [], id="too-early"),
        pytest.param(date(2025, 12, 5), ["before"], id="five-school-days-before"),
        pytest.param(date(2025, 12, 12), ["before"], id="on-the-day"),
        pytest.param(date(2025, 12, 15), ["overdue"], id="after-the-deadline"),
    ],
)
def test_reminder_before_and_after_the_deadline(school, today, keys):  # type: ignore[no-untyped-def]
    assert return_reminders_enqueue(today=today) == len(keys)
    assert return_reminders_enqueue(today=today) == 0  # a re-run stores nothing new
    emails = OutboxEmail.objects.filter(purpose="returns.reminder")
    assert [e.key.split(":")[1] for e in emails] == keys
    for email in emails:
        assert email.to == ["head@school.test"]
        assert "2 pupil(s)" in email.body and "Pupil" not in email.body  # counted, not named


def test_nothing_to_remind_once_returned(school):  # type: ignore[no-untyped-def]
    ReturnEntry.objects.update(status="returned")
    assert return_reminders_enqueue(today=date(2025, 12, 15)) == 0


def test_task_run_twice_sends_each_reminder_once(school, settings):  # type: ignore[no-untyped-def]
    settings.CELERY_TASK_ALWAYS_EAGER = True
    send_reminders_task.apply(kwargs={"as_of": "2025-12-15"})
    send_reminders_task.apply(kwargs={"as_of": "2025-12-15"})
    assert OutboxEmail.objects.filter(purpose="returns.reminder").count() == 1
