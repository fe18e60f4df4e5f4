"""Pathway 4: notify of a deletion from the admission register (reg 9, reg 13; KSAH §22,
§23, §24 and the deletion-grounds appendix; DOMAIN §8, §9).

The ground decides the conditions and the routing: 1(g)/1(h)/1(i) need a CME notification
first unless the school has a forwarding address; 1(f) at a special school needs the
authority's agreement; 1(o)/3(e) only once the exclusion processes have concluded.

The declaration reads top to bottom here; its parts live beside it: `grounds` (reg 9's
grounds and their groups), `steps` (the questions), `requirements` (the conditions and their
tests) and `routing`.
"""

from __future__ import annotations

from referrals.engine.definitions import Audience, Pathway, Subject
from referrals.pathways.deletion.grounds import (
    CME_GROUNDS,
    CONTINUOUS_GROUNDS,
    DIED_GROUNDS,
    EXCLUDED_GROUNDS,
    GROUNDS,
    KNOWN_TO_PROFESSIONALS,
    SPECIAL_SCHOOL,
)
from referrals.pathways.deletion.requirements import (
    CME_PATHWAY,
    EXCLUSION_PATHWAY,
    REQUIREMENTS,
)
from referrals.pathways.deletion.routing import ROUTING
from referrals.pathways.deletion.steps import STEPS

__all__ = [
    "CME_GROUNDS",
    "CME_PATHWAY",
    "CONTINUOUS_GROUNDS",
    "DIED_GROUNDS",
    "EXCLUDED_GROUNDS",
    "EXCLUSION_PATHWAY",
    "GROUNDS",
    "KNOWN_TO_PROFESSIONALS",
    "PATHWAY",
    "SPECIAL_SCHOOL",
]

PATHWAY = Pathway(
    number=4,
    slug="deletion-from-admission-register",
    title="Notify us of a deletion from the admission register",
    summary="Make the deletion return for a pupil whose name you are removing from the "
    "admission register, with the ground for deletion.",
    audiences=frozenset({Audience.SCHOOL_STAFF, Audience.ANONYMOUS}),
    subject=Subject.PUPIL,
    kind_label="return",
    source="reg 9, reg 13; KSAH §22-24 and appendix",
    who_for=(
        "Use this form for every deletion from your admission register, whatever the pupil's "
        "age, as soon as the ground is met and no later than the deletion itself.",
        "You do not need to tell us about pupils leaving at the end of your school's final year.",
        "Deleting a pupil for a reason that is not one of the grounds in regulation 9 is "
        "off-rolling and unlawful.",
    ),
    before_you_start=(
        "For grounds 1(g), 1(h) and 1(i) you must first notify us of a potential child missing "
        "education, unless you have a forwarding address. The pupil stays on roll until our "
        "enquiries are complete.",
        "If the pupil has a social worker, an EHCP or is in care, contact the professional "
        "involved before you delete.",
    ),
    you_need=(
        "the pupil's unique pupil number (UPN)",
        "the ground for deletion and the date of deletion",
        "the new school or address, if known",
        "the name and address of each parent the pupil lives with, and an emergency telephone "
        "number",
    ),
    steps=STEPS,
    requirements=REQUIREMENTS,
    routing=ROUTING,
)
