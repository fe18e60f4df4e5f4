"""The demo holds penalty notice requests that are eligible, ineligible for several reasons,
a second notice and a parent at the limit (issue 11 "Done when"), decided live by the rule."""

from __future__ import annotations

import pytest

from penalties.models import PenaltyRequest
from penalties.workspace import request_checklist
from schools.demo import DEMO_AS_OF

pytestmark = pytest.mark.django_db


def test_the_demo_requests_cover_the_courts_teams_cases(demo_world):  # type: ignore[no-untyped-def]
    requests = list(PenaltyRequest.objects.all())
    assert len(requests) >= 5
    outcomes = set()
    for request in requests:
        for parent in request_checklist(request, on=DEMO_AS_OF):
            assert parent.decision is not None, parent.problem  # every demo parent has a ref
            if parent.decision.eligible:
                outcomes.add(f"notice-{parent.decision.notice_number}")
            outcomes.update(str(r) for r in parent.decision.reasons)
    for expected in ("notice-1", "notice-2", "escalation-limit", "threshold", "exclusion"):
        assert expected in outcomes, outcomes
