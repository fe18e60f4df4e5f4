"""A school's home page is its to-do list (issue 14 item 1): each item from the register's
alerts and the other apps, with real figures, the target and the register's freshness."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kpas.base.roles import Role
from kpas.site.home_school import register_freshness
from kpas.site.todo import TodoContext, TodoItem, todo_items_for, todo_provider_register
from penalties.models import PenaltyNotice
from referrals.models import Submission
from schools.models import Parent, SchoolMembership
from tests.factories import UserFactory
from tests.factories.attendance import constructed_school

pytestmark = pytest.mark.django_db

TODAY = date(2025, 12, 1)


@pytest.fixture
def school_home(client, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("kpas.site.views.today", lambda: TODAY)
    built = constructed_school(name="Oak Primary")
    head = UserFactory(role=Role.HEADTEACHER)
    SchoolMembership.objects.create(user=head, school=built.school)
    client.force_login(head)
    return built, head


def _page(client) -> str:  # type: ignore[no-untyped-def]
    return " ".join(client.get(reverse("home")).content.decode().split())


def test_the_to_do_list_shows_each_kind_of_work(client, school_home) -> None:  # type: ignore[no-untyped-def]
    built, _ = school_home
    persistent = built.pupils["persistent"]
    parent = Parent.objects.create(forename="Pat", surname="Parent")
    PenaltyNotice.objects.create(
        reference="NTI-1",
        pupil=built.pupils["near_line"],
        parent=parent,
        case="notice_to_improve",
        issued_on=date(2025, 11, 10),  # 20 school days end 8 December: within 10 school days
        local_authority="886",
        source="issued",
    )
    from returns.models import ReturnEntry

    ReturnEntry.objects.filter(school=built.school).delete()
    for n, (pupil, due_on) in enumerate(
        (("severe", date(2025, 11, 20)), ("near_line", date(2025, 12, 10)))
    ):
        ReturnEntry.objects.create(
            school=built.school,
            pupil=built.pupils[pupil],
            kind="attendance",
            episode_key=f"test-{n}",
            met_on=date(2025, 11, 1),
            due_on=due_on,
        )
    page = _page(client)
    assert "N codes not replaced within 5 school days: 1" in page
    assert "Pupils who met the penalty notice threshold: 1" in page
    penalty_link = f"/dfd/penalty-notice/?upn={persistent.upn}"
    assert penalty_link in page
    assert "Attendance and sickness returns due: 2" in page and "1 overdue." in page
    assert "Attendance return: overdue since 20 November 2025" in page
    assert "Attendance return: due 10 December 2025" in page
    assert "Notices to improve ending soon: 1" in page
    assert "its period ends 8 December 2025" in page
    # The figures beside the school's own target (96%): 86.8% is below it.
    assert "Your attendance target</th>" in page and "96.0%" in page
    assert "Below target" in page
    assert "Figures to 28 November: up to date" in page
    assert f"/pupils/{persistent.upn}/forms/" in page


def test_a_request_already_sent_is_shown_not_asked_again(client, school_home) -> None:  # type: ignore[no-untyped-def]
    built, head = school_home
    persistent = built.pupils["persistent"]
    Submission.objects.create(
        reference="DFD-2025-000001",
        pathway="penalty-notice",
        status="submitted",
        school=built.school,
        pupil=persistent,
        pupil_upn=persistent.upn,
        submitter=head,
    )
    page = _page(client)
    assert "Pupils who met the penalty notice threshold: 1" in page
    assert "0 without a request" in page
    assert "Request DFD-2025-000001 sent: received" in page
    assert f"/dfd/penalty-notice/?upn={persistent.upn}" not in page


def test_send_a_form_about_this_pupil_prefills_the_pupil(client, school_home) -> None:  # type: ignore[no-untyped-def]
    built, _ = school_home
    upn = built.pupils["persistent"].upn
    forms = client.get(reverse("pupil-forms", args=[upn])).content.decode()
    assert f"/dfd/penalty-notice/?upn={upn}" in forms
    client.post(f"/dfd/penalty-notice/?upn={upn}")
    draft = Submission.objects.get(pathway="penalty-notice", status="draft")
    assert draft.answers["upn"] == upn
    # A pupil outside the user's scope is not found.
    other = constructed_school(name="Elm Primary").pupils["persistent"]
    assert client.get(reverse("pupil-forms", args=[other.upn])).status_code == 404


@pytest.mark.parametrize(
    ("today", "sentence", "stale"),
    [
        pytest.param(
            date(2025, 11, 28), "Figures to 28 November: up to date", False, id="same-day"
        ),
        pytest.param(date(2025, 12, 1), "Figures to 28 November: up to date", False, id="weekend"),
        pytest.param(
            date(2025, 12, 3), "Figures to 28 November: 2 school days ago", False, id="two"
        ),
        pytest.param(
            date(2025, 12, 12), "Figures to 28 November: 9 school days ago", True, id="stale"
        ),
    ],
)
def test_register_freshness(school_home, today, sentence, stale) -> None:  # type: ignore[no-untyped-def]
    built, _ = school_home
    freshness = register_freshness(built.school, today=today)
    assert (freshness.sentence, freshness.stale) == (sentence, stale)


def test_another_app_can_add_to_the_list(school_home) -> None:  # type: ignore[no-untyped-def]
    built, head = school_home

    def part_time_reviews(ctx: TodoContext) -> list[TodoItem]:
        return [TodoItem("part-time", "Part-time timetables to review", 2)]

    todo_provider_register("test_part_time", part_time_reviews, order=5)
    try:
        items = todo_items_for(TodoContext(user=head, school=built.school, today=TODAY))
        assert "part-time" in [i.key for i in items]
    finally:
        from kpas.site import todo

        todo._PROVIDERS.pop("test_part_time")


def test_part_time_timetable_reviews_due(client, school_home) -> None:  # type: ignore[no-untyped-def]
    from referrals.cases.models import Case

    built, _ = school_home
    for pupil, review in (
        ("slipping", "2025-11-20"),  # overdue
        ("steady", "2025-12-05"),  # within the next 10 school days of 1 December
        ("present", "2026-02-02"),  # not yet
    ):
        Case.objects.create(
            kind=Case.Kind.PART_TIME,
            status="active",
            school=built.school,
            pupil=built.pupils[pupil],
            data={"clocks": {"next_review": review}},
        )
    Case.objects.create(  # back full time: nothing to review
        kind=Case.Kind.PART_TIME,
        status="closed",
        school=built.school,
        pupil=built.pupils["near_line"],
        data={"clocks": {"next_review": "2025-11-01"}},
        closed_at="2025-11-02T10:00Z",
    )
    page = _page(client)
    assert "Part-time timetable reviews due: 2" in page
    assert 'id="todo-part-time-reviews"' in page
    assert "Part-time timetable review was due 20 November 2025" in page
    assert "Part-time timetable review is due 5 December 2025" in page
    assert "2 February 2026" not in page and "1 November 2025" not in page


def test_answers_the_authority_is_waiting_for(client, school_home) -> None:  # type: ignore[no-untyped-def]
    from referrals.models import SubmissionEvent

    built, head = school_home

    def sent(reference: str, status: str = "triaged") -> Submission:
        return Submission.objects.create(
            reference=reference,
            pathway="penalty-notice",
            status=status,
            school=built.school,
            submitter=head,
        )

    asked, answered, closed = (
        sent("DFD-2025-000007"),
        sent("DFD-2025-000008"),
        sent("DFD-2025-000009", "closed"),
    )
    for submission in (asked, answered, closed):
        SubmissionEvent.objects.create(
            submission=submission, kind="question", message="Which parent lives with the pupil?"
        )
    SubmissionEvent.objects.create(submission=answered, kind="answer", message="Both.")
    page = _page(client)
    assert "Answers the authority is waiting for: 1" in page
    item = page.split('id="todo-answers-awaited"', 1)[1].split("</section>", 1)[0]
    assert "DFD-2025-000007" in item and "Which parent lives with the pupil?" in item
    assert f"/dfd/submissions/{asked.reference}/" in item
    assert "DFD-2025-000008" not in item and "DFD-2025-000009" not in item
