"""Pathway 6: request a penalty notice (the national framework from 19 August 2024;
KSAH §15 iv, §19; DOMAIN §5).

Only signed-in staff can request one: the headteacher's authorisation must be attributable
to an account (or to a senior leader stating the head is absent), and the request is
checked against the register's threshold window, which needs the pupil's register.

The declaration reads top to bottom here; its parts live beside it: `cases` (the three cases
and the conditions on them), `steps` (the questions), `requirements` (the conditions and
their tests) and `routing`.
"""

from __future__ import annotations

from kpas.base.roles import Role
from referrals.engine.definitions import Audience, Pathway, Subject
from referrals.pathways.penalty_notice.cases import (
    HEADTEACHER,
    LEAVE,
    NATIONAL_FRAMEWORK,
    PUBLIC_PLACE,
    THIRD_NOTICE,
    UNAUTHORISED,
)
from referrals.pathways.penalty_notice.requirements import REQUIREMENTS
from referrals.pathways.penalty_notice.routing import ROUTING
from referrals.pathways.penalty_notice.steps import STEPS

__all__ = [
    "HEADTEACHER",
    "LEAVE",
    "NATIONAL_FRAMEWORK",
    "PATHWAY",
    "PUBLIC_PLACE",
    "THIRD_NOTICE",
    "UNAUTHORISED",
]

PATHWAY = Pathway(
    number=6,
    slug="penalty-notice",
    title="Request a penalty notice",
    summary="Ask the local authority to issue a penalty notice to each parent, under the "
    "national framework.",
    audiences=frozenset({Audience.SCHOOL_STAFF}),
    roles=frozenset({Role.HEADTEACHER, Role.SENIOR_ATTENDANCE_CHAMPION}),
    subject=Subject.PUPIL,
    kind_label="request",
    source="KSAH §15 iv, §19; DOMAIN §5",
    who_for=(
        "Use this form to ask the authority's Courts Team to issue a penalty notice to each "
        "parent of a pupil of compulsory school age, in one of three cases:",
        "leave of absence not authorised (G): 10 or more sessions within 10 school weeks",
        "unauthorised absence (O, U, or with G): 10 or more sessions within 10 school weeks, "
        "after a notice to improve whose 20 school day period has ended with at least one more "
        "unauthorised session",
        "the pupil was in a public place in school hours during the first 5 school days of a "
        "suspension or permanent exclusion (E)",
        "The headteacher must authorise the request, or a senior leader when the headteacher is "
        "absent. Independent schools cannot request penalty notices.",
    ),
    before_you_start=(
        "This form needs an account: the request is checked against your school's register, and "
        "the authorisation is recorded against your account.",
        "A request cannot be sent while any session in the threshold window is still N.",
    ),
    you_need=(
        "the pupil's unique pupil number (UPN)",
        "for unauthorised absence, the date the notice to improve was sent and how",
        "the name and address of each parent",
        "how many penalty notices each parent has had for this child since 19 August 2024",
    ),
    steps=STEPS,
    requirements=REQUIREMENTS,
    routing=ROUTING,
)
