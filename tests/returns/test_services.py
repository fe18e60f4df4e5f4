"""Who needs a return (reg 13; KSAH §24; DOMAIN §8): entries from the nightly evaluation,
one per episode, never asked twice; the school's own decisions; the DFD's hand-down."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from kpas.base.errors import ApplicationError
from kpas.base.models import AuditEvent
from returns.models import ReturnEntry, ReturnPeriod
from returns.services import (
    NOT_NEEDED_REASON_REQUIRED,
    return_entries_sync,
    return_entry_add,
    return_entry_not_needed,
    return_sent,
)
from schools.evaluation import evaluate_school
from schools.models import Alert, TermDate
from schools.projections import projections_rebuild
from tests.factories import UserFactory
from tests.factories.register import fill, pupil_at, school_with_terms, set_marks, weekdays

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 11, 28)
SEPTEMBER_RUN = [date(2025, 9, d) for d in (8, 9, 10, 11, 12, 15, 16, 17, 18, 19)]


@pytest.fixture
def school():  # type: ignore[no-untyped-def]
    school = school_with_terms()
    TermDate.objects.get_or_create(
        school=None, start=date(2026, 1, 5), end=date(2026, 3, 27), kind="term"
    )
    return school


def evaluate(school, as_of: date = AS_OF) -> None:  # type: ignore[no-untyped-def]
    for year in (2024, 2025):
        projections_rebuild(school_id=school.pk, academic_year=year)
    evaluate_school(school_id=school.pk, as_of=as_of)


def absent(school, code: str, days: list[date], born: date = date(2015, 1, 10)):  # type: ignore[no-untyped-def]
    pupil = pupil_at(school, born=born)
    fill(school, pupil, date(2025, 9, 3), AS_OF)
    set_marks(school, pupil, [(d, s, code) for d in days for s in (0, 1)])
    return pupil


def test_an_attendance_return_episode_becomes_one_entry_due_next_term(school):  # type: ignore[no-untyped-def]
    # DOMAIN §8: 10 school days of G/N/O/U in a row; Kent: due within 10 school days of the
    # next term's start (5 Jan 2026 -> 19 Jan 2026).
    pupil = absent(school, "O", SEPTEMBER_RUN)
    absent(school, "O", SEPTEMBER_RUN, born=date(2021, 6, 1))  # not of compulsory school age
    evaluate(school)
    first = return_entries_sync(school_id=school.pk, as_of=AS_OF)
    entry = ReturnEntry.objects.get()
    assert (entry.pupil, entry.kind, entry.episode_key) == (pupil, "attendance", "2025-09-08")
    assert (entry.absence_from, entry.absence_to, entry.sessions) == (
        date(2025, 9, 8),
        date(2025, 9, 19),
        20,
    )
    assert entry.met_on == date(2025, 9, 19)
    assert (entry.period.starts, entry.period.ends) == (date(2025, 9, 3), date(2025, 12, 19))
    assert entry.due_on == entry.period.due_on == date(2026, 1, 19)
    second = return_entries_sync(school_id=school.pk, as_of=AS_OF)
    assert (first.created, second.created, second.updated) == (1, 0, 0)


def test_the_current_period_exists_without_entries_for_a_nil_return(school):  # type: ignore[no-untyped-def]
    absent(school, "/", [])
    evaluate(school)
    return_entries_sync(school_id=school.pk, as_of=AS_OF)
    assert ReturnEntry.objects.count() == 0
    assert ReturnPeriod.objects.get(school=school).starts == date(2025, 9, 3)


def test_sickness_returns_consecutive_without_delay_and_total(school):  # type: ignore[no-untyped-def]
    # DOMAIN §8: 15 consecutive school days of I (return without delay: the next school day)
    # or 15 school days of I in the year in total (the termly deadline).
    run = school_days_from(date(2025, 10, 6), 15)
    in_a_row = absent(school, "I", run)
    scattered = [
        date(2025, 9, 1) + timedelta(days=7 + 7 * w + d) for w in range(5) for d in (0, 2, 4)
    ]
    in_total = absent(school, "I", scattered)
    evaluate(school)
    return_entries_sync(school_id=school.pk, as_of=AS_OF)
    consecutive = ReturnEntry.objects.get(pupil=in_a_row)
    assert consecutive.kind == "sickness_consecutive"
    assert consecutive.met_on == date(2025, 10, 24)  # the 15th school day
    assert consecutive.due_on == date(2025, 11, 3)  # the next school day, after half-term
    total = ReturnEntry.objects.get(pupil=in_total)
    assert (total.kind, total.episode_key, total.sessions) == ("sickness_total", "total:2025", 30)
    assert total.due_on == date(2026, 1, 19)


def school_days_from(start: date, n: int) -> list[date]:
    half_term = (date(2025, 10, 27), date(2025, 10, 31))
    return [d for d in weekdays(start, n + 5) if not half_term[0] <= d <= half_term[1]][:n]


def test_a_returned_episode_is_not_asked_for_again(school):  # type: ignore[no-untyped-def]
    # DOMAIN §8: one return per episode. The DFD hands a sent pathway-3 return down.
    pupil = absent(school, "O", SEPTEMBER_RUN)
    evaluate(school)
    return_entries_sync(school_id=school.pk, as_of=AS_OF)
    alert = Alert.objects.get(kind="attendance_return")
    row = {
        "upn": pupil.upn,
        "return_type": "attendance",
        "absence_from": "2025-09-08",
        "flags": ["ehcp"],
        "_alert": alert.pk,
    }
    sent_at = timezone.now()
    assert return_sent(school_id=school.pk, reference="DFD-1", sent_at=sent_at, pupils=[row]) == 1
    assert return_sent(school_id=school.pk, reference="DFD-1", sent_at=sent_at, pupils=[row]) == 0
    evaluate(school, date(2025, 12, 5))
    return_entries_sync(school_id=school.pk, as_of=date(2025, 12, 5))
    entry = ReturnEntry.objects.get()
    assert (entry.status, entry.returned_reference, entry.returned_flags) == (
        "returned",
        "DFD-1",
        ["ehcp"],
    )


def test_a_return_for_an_unlisted_episode_is_recorded_under_the_evaluations_key(school):  # type: ignore[no-untyped-def]
    # Sent before the nightly run listed it: the later evaluation does not ask again.
    pupil = absent(school, "O", SEPTEMBER_RUN)
    row = {"upn": pupil.upn, "return_type": "attendance", "absence_from": "2025-09-08"}
    return_sent(school_id=school.pk, reference="DFD-2", sent_at=timezone.now(), pupils=[row])
    evaluate(school)
    return_entries_sync(school_id=school.pk, as_of=AS_OF)
    assert list(ReturnEntry.objects.values_list("status", "episode_key")) == [
        ("returned", "2025-09-08")
    ]


def test_school_marks_a_pupil_as_not_needing_a_return_with_a_reason(school):  # type: ignore[no-untyped-def]
    pupil = absent(school, "O", SEPTEMBER_RUN)
    evaluate(school)
    return_entries_sync(school_id=school.pk, as_of=AS_OF)
    entry = ReturnEntry.objects.get(pupil=pupil)
    staff = UserFactory()
    with pytest.raises(ApplicationError, match=NOT_NEEDED_REASON_REQUIRED):
        return_entry_not_needed(actor=staff, entry=entry, reason="  ")
    return_entry_not_needed(actor=staff, entry=entry, reason="Already returned on paper")
    entry.refresh_from_db()
    assert (entry.status, entry.reason, entry.decided_by) == (
        "not_needed",
        "Already returned on paper",
        staff,
    )
    assert AuditEvent.objects.filter(action="return.not_needed").count() == 1
    return_entries_sync(school_id=school.pk, as_of=AS_OF)
    assert ReturnEntry.objects.get().status == "not_needed"


def test_school_adds_a_pupil_who_fails_to_attend_regularly(school):  # type: ignore[no-untyped-def]
    # reg 13: "fails to attend regularly", in the school's judgement.
    pupil = absent(school, "/", [])
    entry = return_entry_add(
        actor=UserFactory(),
        school=school,
        pupil=pupil,
        reason="Absent two days most weeks since October",
        absence_from=date(2025, 10, 1),
        as_of=AS_OF,
    )
    assert (entry.kind, entry.status, entry.due_on) == ("irregular", "due", date(2026, 1, 19))
    with pytest.raises(ApplicationError):
        return_entry_add(
            actor=UserFactory(),
            school=school,
            pupil=pupil,
            reason="again",
            absence_from=date(2025, 10, 1),
            as_of=AS_OF,
        )


def test_one_sickness_return_a_year_when_a_run_and_the_total_both_hold(school):  # type: ignore[no-untyped-def]
    # DOMAIN §8: one sickness return per continuous period per school year; a run of 15 days
    # already meets the in-total count, so the in-total alert adds no second return.
    pupil = absent(school, "/", [])
    for key, details in (
        ("run:2025-10-06", {"consecutive_school_days": 15, "from": "2025-10-06"}),
        ("total", {"illness_school_days": 16.0}),
    ):
        Alert.objects.create(
            school=school, pupil=pupil, kind="sickness_return", academic_year=2025,
            key=key, details=details, raised_on=AS_OF,
        )  # fmt: skip
    return_entries_sync(school_id=school.pk, as_of=AS_OF)
    assert list(ReturnEntry.objects.values_list("kind", flat=True)) == ["sickness_consecutive"]
