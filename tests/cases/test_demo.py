"""The demo holds a case in every state of every machine, each reached through the service."""

from __future__ import annotations

import pytest

from referrals.cases.machines import MACHINES
from referrals.cases.models import Case

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_case_in_every_state(demo_world):  # type: ignore[no-untyped-def]
    held = set(Case.objects.values_list("kind", "status"))
    for kind, machine in MACHINES.items():
        for state, _ in machine.states:
            assert (kind, state) in held, f"{kind}: no demo case is {state}"
    assert all(case.events.exists() for case in Case.objects.all())
