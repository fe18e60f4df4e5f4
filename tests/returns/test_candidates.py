"""Pathway 3's pre-filled candidates follow the school's own decisions on "Returns due"
(reg 13; KSAH §24; DOMAIN §8): a pupil marked as not needing a return is dropped, a pupil the
school added as failing to attend regularly is offered, and sending it answers that entry."""

from __future__ import annotations

from datetime import date

from referrals import services
from referrals.context import RegisterLookups
from referrals.pathways.returns import PATHWAY
from returns.models import ReturnEntry
from returns.services import return_entry_add, return_entry_not_needed
from schools.models import Alert
from tests.factories.register import pupil_at
from tests.referrals.conftest import TODAY, private_media, valid_answers, world  # noqa: F401


def _alert(w, pupil):  # type: ignore[no-untyped-def]
    return Alert.objects.create(
        school=w.school, pupil=pupil, kind=Alert.Kind.ATTENDANCE_RETURN,
        academic_year=2025, key="2025-11-03", raised_on=date(2025, 11, 14),
        details={"from": "2025-11-03", "to": "2025-11-14", "school_days": 10},
    )  # fmt: skip


def _values(w):  # type: ignore[no-untyped-def]
    found = RegisterLookups(w.head, TODAY).return_candidates(w.school)
    return {c["value"]: c for c in found}


def test_not_needed_pupils_are_dropped_and_added_pupils_offered(world):  # type: ignore[no-untyped-def]  # noqa: F811
    kept = _alert(world, world.pupil)
    other = pupil_at(world.school, born=date(2016, 3, 1))
    dropped = _alert(world, other)
    entry = ReturnEntry.objects.create(
        school=world.school, pupil=other, kind="attendance", episode_key="2025-11-03",
        alert=dropped, absence_from=date(2025, 11, 3), met_on=date(2025, 11, 14),
    )  # fmt: skip
    assert set(_values(world)) == {f"alert-{kept.pk}", f"alert-{dropped.pk}"}

    return_entry_not_needed(actor=world.head, entry=entry, reason="Tuition at hospital school")
    added_pupil = pupil_at(world.school, born=date(2016, 4, 1))
    added = return_entry_add(
        actor=world.head, school=world.school, pupil=added_pupil,
        reason="Misses Mondays most weeks", absence_from=date(2025, 10, 6), as_of=TODAY,
    )  # fmt: skip
    found = _values(world)
    assert set(found) == {f"alert-{kept.pk}", f"entry-{added.pk}"}
    row = found[f"entry-{added.pk}"]["row"]
    assert (row["upn"], row["return_type"], row["absence_from"]) == (
        added_pupil.upn, "attendance", "2025-10-06",
    )  # fmt: skip
    assert "Misses Mondays most weeks" in found[f"entry-{added.pk}"]["hint"]


def test_an_entry_matched_by_episode_without_its_alert_is_dropped_too(world):  # type: ignore[no-untyped-def]  # noqa: F811
    alert = _alert(world, world.pupil)
    ReturnEntry.objects.create(
        school=world.school, pupil=world.pupil, kind="attendance", episode_key=alert.key,
        absence_from=date(2025, 11, 3), met_on=date(2025, 11, 14), status="returned",
    )  # fmt: skip
    assert _values(world) == {}


def test_sending_the_added_pupil_marks_the_schools_entry_returned(world):  # type: ignore[no-untyped-def]  # noqa: F811
    added = return_entry_add(
        actor=world.head, school=world.school, pupil=world.pupil,
        reason="Misses Mondays most weeks", absence_from=date(2025, 10, 6), as_of=TODAY,
    )  # fmt: skip
    row = _values(world)[f"entry-{added.pk}"]["row"]
    answers = valid_answers("attendance-or-sickness-return", world)
    answers["pupils"] = [
        {**{k: v for k, v in row.items() if not k.startswith("_")}, "codes": ["O"]}
    ]
    sent, _ = services.submission_create(
        actor=world.head, pathway=PATHWAY, answers=answers, today=TODAY
    )
    added.refresh_from_db()
    assert (added.status, added.returned_reference) == ("returned", sent.reference)
