"""The Digital Front Door's modules: loading the Submission model loads no pathway (issue 9
item 2), and the pathways' names the model offers are the registry's."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kpas.base.models import Team
from kpas.base.roles import Role
from kpas.base.teams import role_for_team_function, team_function_for
from referrals.pathway_names import PathwayName
from referrals.pathways import all_pathways

PROBE = """
import sys, django
django.setup()
from referrals.models import Submission
loaded = [m for m in ("referrals.pathways", "numpy") if m in sys.modules]
print(",".join(loaded))
"""


def test_the_model_offers_exactly_the_declared_pathways():  # type: ignore[no-untyped-def]
    declared = [(pathway.slug, pathway.title) for pathway in all_pathways()]
    assert sorted(declared) == sorted(PathwayName.choices)


def test_loading_submission_does_not_load_the_pathways_or_numpy():  # type: ignore[no-untyped-def]
    env = {"DJANGO_SETTINGS_MODULE": "kpas.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env},
    )
    assert result.stdout.strip() == ""


@pytest.mark.parametrize(
    ("role", "function"),
    [
        (Role.COURTS_TEAM, Team.Function.COURTS),
        (Role.CME_TEAM, Team.Function.CME),
        (Role.EHE_TEAM, Team.Function.EHE),
        (Role.ATTENDANCE_OFFICER, None),  # linked officers work their area's team
    ],
)
def test_the_role_to_team_mapping_is_the_base_floors(role, function):  # type: ignore[no-untyped-def]
    # Issue 9 item 5: penalties and returns need it without importing referrals.
    assert team_function_for(role) == function
    if function is not None:
        assert role_for_team_function(function) == role
