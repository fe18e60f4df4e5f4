"""The Digital Front Door's modules: loading the Submission model loads no pathway (issue 9
item 2), and the pathways' names the model offers are the registry's."""

from __future__ import annotations

import os
import subprocess
import sys

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
