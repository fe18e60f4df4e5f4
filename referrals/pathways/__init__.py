"""The eleven Digital Front Door pathways (DOMAIN §7; KSAH §10), declared as data.

`PATHWAYS` maps each slug to its declaration; the one engine in `referrals.engine` runs them.
"""

from __future__ import annotations

from referrals.engine.definitions import Pathway
from referrals.pathways import (
    attendance_meeting,
    cme,
    deletion,
    exclusion,
    exclusion_advice,
    part_time,
    penalty_notice,
    professional,
    pru,
    returns,
    statutory_intervention,
)

_ALL: tuple[Pathway, ...] = (
    exclusion.PATHWAY,
    cme.PATHWAY,
    returns.PATHWAY,
    deletion.PATHWAY,
    attendance_meeting.PATHWAY,
    penalty_notice.PATHWAY,
    statutory_intervention.PATHWAY,
    pru.PATHWAY,
    exclusion_advice.PATHWAY,
    part_time.PATHWAY,
    professional.PATHWAY,
)
PATHWAYS: dict[str, Pathway] = {pathway.slug: pathway for pathway in _ALL}
PATHWAY_CHOICES = [(pathway.slug, pathway.title) for pathway in _ALL]


def pathway_get(slug: str) -> Pathway | None:
    return PATHWAYS.get(slug)


def all_pathways() -> tuple[Pathway, ...]:
    return _ALL


def pathway_of(slug: str) -> Pathway:
    """The declaration of a submission's pathway (its slug is one of the model's choices)."""
    return PATHWAYS[slug]
