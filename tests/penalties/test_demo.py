"""The demo holds penalty notice requests that are eligible, ineligible for each reason, a
second notice and a parent at the limit (issue 11 "Done when"), decided live by the rule."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from penalties.models import PenaltyRequest
from penalties.vocabulary import Reason
from penalties.workspace import request_checklist
from schools import demo as schools_demo
from schools.demo import DEMO_AS_OF
from schools.demo_data import DEMO_SCHOOLS

pytestmark = pytest.mark.django_db


def _outcomes() -> set[str]:
    outcomes = set()
    for request in PenaltyRequest.objects.all():
        for parent in request_checklist(request, on=DEMO_AS_OF):
            assert parent.decision is not None, parent.problem  # every demo parent has a ref
            if parent.decision.eligible:
                outcomes.add(f"notice-{parent.decision.notice_number}")
            outcomes.update(str(r) for r in parent.decision.reasons)
    return outcomes


def test_the_demo_requests_cover_every_reason_but_a_school_it_does_not_hold(demo_world):  # type: ignore[no-untyped-def]
    """The small demo has no independent school: every other reason, decided by the rule."""
    outcomes = _outcomes()
    expected = {"notice-1", "notice-2"} | {str(r) for r in Reason if r != Reason.STATE_FUNDED}
    assert expected <= outcomes, expected - outcomes


def test_with_an_independent_school_the_demo_holds_every_reason(db, monkeypatch):  # type: ignore[no-untyped-def]
    """The full demo's register holds an independent school (118020): a pupil there is the
    state-funded example. Seeded small with the demo school and that school."""
    independent = next(s for s in DEMO_SCHOOLS if s.school_type == "independent")
    monkeypatch.setattr(schools_demo, "DEMO_SCHOOLS", (DEMO_SCHOOLS[0], independent))
    call_command("seed_demo", "--small", verbosity=0)
    outcomes = _outcomes()
    expected = {"notice-1", "notice-2"} | {str(r) for r in Reason}
    assert expected <= outcomes, expected - outcomes
