"""Triage: the queue shows each row's waiting time and statutory clock, counted on the
school's calendar, sorts by the clock and filters by form and area."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from referrals.pathway_names import PathwayName
from tests.cases.conftest import sent_submission

pytestmark = pytest.mark.django_db


def test_queue_rows_carry_their_statutory_clock(client, world):  # type: ignore[no-untyped-def]
    cme = sent_submission(world, PathwayName.CME)
    cme.submitted_at = datetime(2025, 11, 17, 9, tzinfo=UTC)
    cme.team = None
    cme.allocated_officer = world.ao
    cme.save()
    exclusion = sent_submission(world, PathwayName.EXCLUSION)
    exclusion.answers = {
        "exclusion_type": "permanent",
        "start_date": "2025-11-24",
        "parents_told_date": "2025-11-24",
    }
    exclusion.submitted_at = datetime(2025, 11, 24, 9, tzinfo=UTC)
    exclusion.allocated_officer = world.ao
    exclusion.save()
    client.force_login(world.ao)
    page = client.get(reverse("referrals:queue"), {"sort": "clock"}).content.decode()
    # CME received Mon 17 Nov: enquiries due on the 10th school day after, Mon 1 Dec.
    assert 'Enquiries due: <span class="dfd-nowrap">1 Dec 2025</span>' in page
    # Permanent exclusion from Mon 24 Nov: day 6 is Mon 1 Dec.
    assert 'Day-6 provision: <span class="dfd-nowrap">1 Dec 2025</span>' in page
    assert "11 days" in page  # the CME notification has waited since 17 Nov (TODAY 28 Nov)
    only_cme = client.get(reverse("referrals:queue"), {"pathway": PathwayName.CME}).content
    assert cme.reference in only_cme.decode() and exclusion.reference not in only_cme.decode()
