"""Loading the authority's structure (areas, districts, teams) from a JSON file.

Kent's structure (KSAH §8) ships as the default; another authority supplies its own file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from kpas.base.models import Area, District, Team

KENT_STRUCTURE = Path(__file__).resolve().parent / "data" / "kent_structure.json"


@transaction.atomic
def authority_structure_load(*, path: Path = KENT_STRUCTURE) -> dict[str, int]:
    """Create or update areas, districts and teams; idempotent. Returns counts."""
    spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    counts = {"areas": 0, "districts": 0, "teams": 0}
    for area_name, district_names in spec["areas"].items():
        area, _ = Area.objects.get_or_create(name=area_name)
        counts["areas"] += 1
        for district_name in district_names:
            District.objects.update_or_create(name=district_name, defaults={"area": area})
            counts["districts"] += 1
        Team.objects.update_or_create(
            slug=f"kpas-{slugify(area_name)}",
            defaults={
                "name": f"KPAS {area_name} area team",
                "function": Team.Function.AREA_ATTENDANCE,
                "area": area,
                "mailbox": spec["area_team_mailbox"].format(area=slugify(area_name)),
            },
        )
        counts["teams"] += 1
    for team in spec["central_teams"]:
        Team.objects.update_or_create(
            slug=team["slug"],
            defaults={
                "name": team["name"],
                "function": team["function"],
                "area": None,
                "mailbox": team["mailbox"],
            },
        )
        counts["teams"] += 1
    return counts
