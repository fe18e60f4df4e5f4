"""The daily task: due and overdue reminders once per deadline, one digest per officer a day,
run by a real Celery worker."""

from __future__ import annotations

from datetime import date

import pytest

from kpas.base.models import OutboxEmail
from referrals.cases import services
from referrals.cases.models import Case, CaseReminder
from referrals.cases.reminders import reminders_create
from referrals.cases.tasks import daily_reminders_task
from referrals.pathway_names import PathwayName

from .conftest import TODAY, sent_submission

pytestmark = pytest.mark.django_db


def _case(world, due_on):  # type: ignore[no-untyped-def]
    case = services.case_open(
        actor=world.ao, submission=sent_submission(world, PathwayName.PROFESSIONAL), today=TODAY
    )
    Case.objects.filter(pk=case.pk).update(due_on=due_on)
    return case


def test_reminders_are_created_once_and_each_officer_gets_one_digest(world):  # type: ignore[no-untyped-def]
    overdue = _case(world, date(2025, 11, 20))
    due = _case(world, date(2025, 12, 4))  # within five working days of Fri 28 Nov
    later = _case(world, date(2025, 12, 19))
    assert reminders_create(today=TODAY) == 1
    assert reminders_create(today=TODAY) == 1  # a second run: nothing new
    kinds = dict(CaseReminder.objects.values_list("case_id", "kind"))
    assert kinds == {overdue.pk: "overdue", due.pk: "due"}
    assert later.pk not in kinds
    digests = OutboxEmail.objects.filter(purpose="cases.digest")
    assert digests.count() == 1
    body = digests.get().body
    assert f"OVERDUE 20 Nov 2025: Professional request case {overdue.pk}" in body
    assert f"04 Dec 2025: Professional request case {due.pk}" in body


def test_the_named_task_runs_on_a_real_worker(world, celery_worker_all_queues):  # type: ignore[no-untyped-def]
    _case(world, date(2025, 11, 20))
    assert daily_reminders_task.delay().get(timeout=60) == 1
    assert CaseReminder.objects.count() == 1
