"""The eleven pathways' names (DOMAIN §7), without their declarations: the `Submission`
model needs the choices, and loading it must not load every pathway (and NumPy). The
registry in `referrals.pathways` is held to these names by a test."""

from __future__ import annotations

from django.db import models


class PathwayName(models.TextChoices):
    EXCLUSION = "suspension-or-exclusion", "Notify us of a suspension or permanent exclusion"
    CME = "child-missing-education", "Notify us of a potential child missing education"
    RETURN = "attendance-or-sickness-return", "Notify us of an attendance or sickness return"
    DELETION = (
        "deletion-from-admission-register",
        "Notify us of a deletion from the admission register",
    )
    ATTENDANCE_MEETING = (
        "formal-attendance-meeting",
        "Request KPAS attendance at a formal attendance meeting",
    )
    PENALTY_NOTICE = "penalty-notice", "Request a penalty notice"
    STATUTORY_INTERVENTION = (
        "statutory-attendance-intervention",
        "Request statutory attendance intervention",
    )
    PRU = "single-registration-at-a-pru", "Request single registration at a PRU"
    EXCLUSION_ADVICE = "exclusion-intervention-advice", "Request exclusion intervention advice"
    PART_TIME = (
        "part-time-timetable",
        "Notify us of a part-time timetable or flexi-schooling",
    )
    PROFESSIONAL = (
        "professional-request",
        "Professional request for KPAS advice or involvement",
    )


def pathway_title(slug: str) -> str:
    """The pathway's title; the slug itself for a name no longer declared."""
    try:
        return str(PathwayName(slug).label)
    except ValueError:
        return slug
