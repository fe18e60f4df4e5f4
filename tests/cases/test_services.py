"""The one service running the machines against the real register (PostgreSQL or SQLite),
the submission it grows from, the timeline and the scope of what each user sees."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.http import Http404

from kpas.base.models import AuditEvent, OutboxEmail
from referrals.cases import selectors, services
from referrals.cases.models import Case, CaseEvent
from referrals.cases.rules import CME_ENQUIRIES, PART_TIME_REFUSED, CaseRefused
from referrals.pathway_names import PathwayName
from referrals.rules import ClosingOutcome, Status
from tests.factories.register import set_marks

from .conftest import TODAY, sent_submission

pytestmark = pytest.mark.django_db

STATUTORY_WALK = [
    ("schedule_aim", {"meeting_on": "2025-12-01", "invited": "Mrs Parent, Head"}),
    (
        "hold_aim",
        {"held_on": "2025-12-01", "attendees": "Mrs Parent, Head", "agreement": "Attend daily"},
    ),
    ("send_formal_warning", {"sent_on": "2025-12-03"}),
    ("send_final_warning", {"sent_on": "2026-01-12"}),
    ("offer_pace", {"interview_on": "2026-02-02"}),
    ("hold_pace", {"held_on": "2026-02-02", "attendees": "Mrs Parent", "record": "Interviewed"}),
    ("pass_to_courts", {"passed_on": "2026-02-09"}),
    ("prosecute", {"offence": "s444_1", "laid_on": "2026-02-16"}),
    ("record_outcome", {"outcome": "conviction", "outcome_on": "2026-03-20", "sentence": "£120"}),
    ("close", {"reason": "Court outcome recorded"}),
]


def test_accepting_opens_one_case_and_the_walk_reaches_closed(world):  # type: ignore[no-untyped-def]
    submission = sent_submission(world, PathwayName.STATUTORY_INTERVENTION)
    case = services.case_open(today=TODAY, actor=world.ao, submission=submission)
    assert (
        services.case_open(today=TODAY, actor=world.ao, submission=submission) == case
    )  # idempotent
    submission.refresh_from_db()
    assert submission.status == Status.TRIAGED
    assert (case.kind, case.status, case.officer) == ("statutory", "requested", world.ao)
    for action, given in STATUTORY_WALK:
        case = services.case_transition(
            actor=world.ao, case=case, action=action, given=given, today=TODAY
        )
    assert case.status == "closed" and case.closed_at is not None
    assert case.data["hold_aim"]["agreement"] == "Attend daily"
    assert case.data["hold_aim"]["attendees"] == ["Mrs Parent", "Head"]
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds.count(CaseEvent.Kind.LETTER) == 2
    assert kinds.count(CaseEvent.Kind.MEETING) == 4
    submission.refresh_from_db()
    assert submission.status == Status.CLOSED
    assert submission.outcome == "Court outcome recorded"
    assert AuditEvent.objects.filter(action="case.moved").count() == len(STATUTORY_WALK)


def test_an_illegal_move_changes_nothing(world):  # type: ignore[no-untyped-def]
    case = services.case_open(
        today=TODAY,
        actor=world.ao,
        submission=sent_submission(world, PathwayName.STATUTORY_INTERVENTION),
    )
    with pytest.raises(CaseRefused, match="cannot send the final warning letter while"):
        services.case_transition(
            actor=world.ao,
            case=case,
            action="send_final_warning",
            given={"sent_on": "2025-12-01"},
            today=TODAY,
        )
    case.refresh_from_db()
    assert case.status == "requested"
    assert not case.events.filter(kind=CaseEvent.Kind.LETTER).exists()


def test_c2_on_the_register_stops_the_statutory_case(world):  # type: ignore[no-untyped-def]
    case = services.case_open(
        today=TODAY,
        actor=world.ao,
        submission=sent_submission(world, PathwayName.STATUTORY_INTERVENTION),
    )
    set_marks(world.school, world.pupil, [(date(2025, 11, 26), 1, "C2")])
    with pytest.raises(CaseRefused) as refused:
        services.case_transition(
            actor=world.ao,
            case=case,
            action="schedule_aim",
            given={"meeting_on": "2025-12-01", "invited": "Parent"},
            today=TODAY,
        )
    assert str(refused.value) == PART_TIME_REFUSED


def test_an_open_part_time_case_stops_the_statutory_case(world):  # type: ignore[no-untyped-def]
    services.case_open(
        today=TODAY, actor=world.ao, submission=sent_submission(world, PathwayName.PART_TIME)
    )
    case = services.case_open(
        today=TODAY,
        actor=world.ao,
        submission=sent_submission(world, PathwayName.STATUTORY_INTERVENTION),
    )
    with pytest.raises(CaseRefused, match="part-time timetable"):
        services.case_transition(
            actor=world.ao,
            case=case,
            action="schedule_aim",
            given={"meeting_on": "2025-12-01", "invited": "Parent"},
            today=TODAY,
        )


def test_closure_is_proposed_after_20_clean_school_days(world):  # type: ignore[no-untyped-def]
    case = services.case_open(
        today=TODAY,
        actor=world.ao,
        submission=sent_submission(world, PathwayName.STATUTORY_INTERVENTION),
    )
    # The world's pupil has 10 G sessions 17-21 Nov: inside the most recent 20 school days.
    assert services.case_closure_proposal(case=case, today=TODAY) is False
    set_marks(
        world.school,
        world.pupil,
        [(date(2025, 11, 17) + timedelta(days=n), s, "/") for n in range(5) for s in (0, 1)],
    )
    assert services.case_closure_proposal(case=case, today=TODAY) is True


def test_cme_deletion_advice_derives_the_dfd_close_outcome(world):  # type: ignore[no-untyped-def]
    submission = sent_submission(world, PathwayName.CME)
    case = services.case_open(today=TODAY, actor=world.cme, submission=submission)
    case = services.case_transition(
        actor=world.cme, case=case, action="start_enquiries", given={}, today=TODAY
    )
    with pytest.raises(CaseRefused, match="Record every enquiry"):
        services.case_transition(
            actor=world.cme, case=case, action="not_locate", given={}, today=TODAY
        )
    for key, _ in CME_ENQUIRIES:
        case = services.case_transition(
            actor=world.cme,
            case=case,
            action="record_enquiry",
            given={"check": key, "done_on": "2025-11-25"},
            today=TODAY,
        )
    assert set(case.data["enquiries"]) == {key for key, _ in CME_ENQUIRIES}
    case = services.case_transition(
        actor=world.cme, case=case, action="not_locate", given={}, today=TODAY
    )
    case = services.case_transition(
        actor=world.cme,
        case=case,
        action="advise_deletion",
        given={"ground": "1i", "confirmed_on": "2025-11-27"},
        today=TODAY,
    )
    submission.refresh_from_db()
    assert submission.status == Status.CLOSED
    assert submission.closing_outcome == ClosingOutcome.DELETION_ADVISED
    assert submission.deletion_advised_on == date(2025, 11, 27)
    case = services.case_transition(
        actor=world.cme, case=case, action="close", given={"reason": "Done"}, today=TODAY
    )
    assert case.status == "closed"


def test_a_pathway_without_a_case_kind_is_refused(world):  # type: ignore[no-untyped-def]
    with pytest.raises(CaseRefused):
        services.case_open(
            today=TODAY, actor=world.ao, submission=sent_submission(world, PathwayName.DELETION)
        )


def test_scope_and_shared_notes(world):  # type: ignore[no-untyped-def]
    case = services.case_open(
        today=TODAY,
        actor=world.ao,
        submission=sent_submission(world, PathwayName.ATTENDANCE_MEETING),
    )
    services.case_note_add(actor=world.ao, case=case, text="Internal thoughts")
    services.case_note_add(actor=world.ao, case=case, text="Meeting on Monday", shared=True)
    assert selectors.case_get_for(world.head, case.pk) == case
    assert selectors.case_get_for(world.courts, case.pk) == case
    with pytest.raises(Http404):
        selectors.case_get_for(world.east_ao, case.pk)
    with pytest.raises(Http404):
        selectors.case_get_for(world.other_head, case.pk)
    school_notes = [
        e.message for e in selectors.timeline_for(world.head, case) if e.kind == CaseEvent.Kind.NOTE
    ]
    officer_notes = [
        e.message for e in selectors.timeline_for(world.ao, case) if e.kind == CaseEvent.Kind.NOTE
    ]
    assert school_notes == ["Meeting on Monday"]
    assert officer_notes == ["Internal thoughts", "Meeting on Monday"]


def test_reallocation_and_the_caseload(world):  # type: ignore[no-untyped-def]
    case = services.case_open(
        today=TODAY, actor=world.ao, submission=sent_submission(world, PathwayName.PROFESSIONAL)
    )
    assert list(selectors.caseload_for(world.ao, officer=world.ao, today=TODAY)) == [case]
    services.case_allocate(actor=world.ao, case=case, officer=world.east_ao)
    assert (
        OutboxEmail.objects.filter(purpose="cases.allocated", to=[world.east_ao.email]).count() == 1
    )
    assert list(selectors.caseload_for(world.ao, officer=world.ao, today=TODAY)) == []
    assert selectors.case_get_for(world.east_ao, case.pk) == case  # allocated to them
    with pytest.raises(CaseRefused):
        services.case_allocate(actor=world.ao, case=case, officer=world.head)
    assert Case.objects.get(pk=case.pk).officer == world.east_ao
