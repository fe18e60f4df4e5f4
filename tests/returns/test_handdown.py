"""A sent pathway-3 return is handed down by the Digital Front Door: the pupils it names are
marked returned, with its reference and date (DOMAIN §7, §8)."""

from __future__ import annotations

from datetime import date

from referrals import services
from referrals.pathways.returns import PATHWAY
from returns.models import ReturnEntry
from tests.referrals.conftest import TODAY, private_media, valid_answers, world  # noqa: F401


def test_sending_a_return_marks_its_pupils_returned(world):  # type: ignore[no-untyped-def]  # noqa: F811
    entry = ReturnEntry.objects.create(
        school=world.school, pupil=world.pupil, kind="attendance", episode_key="2025-11-03",
        absence_from=date(2025, 11, 3), met_on=date(2025, 11, 14), due_on=date(2026, 1, 19),
    )  # fmt: skip
    answers = valid_answers("attendance-or-sickness-return", world)
    sent, _ = services.submission_create(
        actor=world.head, pathway=PATHWAY, answers=answers, today=TODAY
    )
    entry.refresh_from_db()
    assert (entry.status, entry.returned_reference) == ("returned", sent.reference)
    assert entry.returned_at == sent.submitted_at
