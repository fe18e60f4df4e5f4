"""Case tests reuse the referrals world (Kent's teams, Oakfield with its linked officer and a
pupil with a register up to TODAY) and add sent submissions made directly."""

from __future__ import annotations

import pytest

from referrals.models import Submission
from referrals.rules import Status
from tests.referrals.conftest import TODAY, World, private_media, world  # noqa: F401

_serial = iter(range(1, 10_000))


def sent_submission(w: World, pathway: str, *, pupil: object = None) -> Submission:
    return Submission.objects.create(
        reference=f"DFD-2025-{next(_serial):06d}",
        pathway=pathway,
        status=Status.SUBMITTED,
        school=w.school,
        pupil=pupil if pupil is not None else w.pupil,
        pupil_name="Test Pupil",
        submitter=w.head,
        submitter_name=w.head.full_name,
        submitter_email=w.head.email,
    )


@pytest.fixture
def today():  # type: ignore[no-untyped-def]
    return TODAY
