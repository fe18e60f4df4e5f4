"""Pathway 9: request exclusion intervention advice (KSAH §19, §20)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from referrals.engine.definitions import (
    Audience,
    Choice,
    Equals,
    Field,
    Kind,
    OnFail,
    Pathway,
    Requirement,
    RoutingRule,
    Step,
    Subject,
)
from referrals.pathways.checks import yes_to
from referrals.pathways.common import (
    about_you_step,
    pupil_details_step,
    pupil_step,
    virtual_school_copy,
    yes_revealing,
)

if TYPE_CHECKING:
    pass

TOPICS = (
    Choice("risk_of_exclusion", "Risk of permanent exclusion"),
    Choice("repeated_suspensions", "Repeated suspensions"),
    Choice("managed_move", "A managed move"),
    Choice("off_site_direction", "An off-site direction"),
    Choice("part_time_timetable", "A part-time timetable"),
    Choice("behaviour_policy", "The behaviour policy or exclusion process"),
    Choice("other", "Something else"),
)


PATHWAY = Pathway(
    number=9,
    slug="exclusion-intervention-advice",
    title="Request exclusion intervention advice",
    summary="Ask your exclusion intervention adviser for advice about a pupil at risk of "
    "suspension or permanent exclusion.",
    audiences=frozenset({Audience.SCHOOL_STAFF, Audience.ANONYMOUS}),
    subject=Subject.PUPIL,
    kind_label="request",
    source="KSAH §19, §20",
    who_for=(
        "Use this form to ask your school's linked exclusion intervention adviser for advice "
        "about a pupil experiencing suspensions or at risk of permanent exclusion, a managed "
        "move or an off-site direction.",
        "Advisers cannot recommend, judge or overrule a headteacher's decision to suspend or "
        "exclude.",
    ),
    you_need=(
        "the pupil's unique pupil number (UPN)",
        "what you would like advice about",
        "the support already in place",
    ),
    steps=(
        about_you_step(),
        pupil_step(),
        pupil_details_step(),
        Step(
            "advice",
            "The advice you need",
            (
                Field(
                    "topics",
                    "What would you like advice about?",
                    kind=Kind.CHECKBOXES,
                    choices=TOPICS,
                    hint="Select all that apply",
                    error_required="Select what you would like advice about",
                    summary_label="Advice about",
                ),
                Field(
                    "concern",
                    "Describe the situation",
                    kind=Kind.TEXTAREA,
                    max_length=5000,
                    error_required="Describe the situation",
                ),
                Field(
                    "support_in_place",
                    "What support is in place?",
                    kind=Kind.TEXTAREA,
                    max_length=3000,
                    error_required="Describe the support in place",
                ),
            ),
        ),
        Step(
            "meeting",
            "Meeting",
            (
                Field(
                    "meeting_requested",
                    "Would you like the adviser to attend a meeting with the parents?",
                    kind=Kind.YES_NO,
                    choices=yes_revealing("parents_agree"),
                    error_required="Select yes if you would like the adviser at a meeting",
                    summary_label="Meeting requested",
                ),
                Field(
                    "parents_agree",
                    "Have the parents agreed to the adviser attending?",
                    kind=Kind.YES_NO,
                    error_required="Select yes if the parents have agreed",
                ),
            ),
        ),
    ),
    requirements=(
        Requirement(
            "parents-agree",
            "The parents agree to the adviser attending",
            yes_to("parents_agree"),
            OnFail.REASON,
            "Parental agreement must be sought before an adviser attends a meeting.",
            "KSAH §19",
            applies_when=Equals("meeting_requested", True),
        ),
    ),
    routing=(
        RoutingRule(
            "area_attendance",
            by_area=True,
            officer="exclusion_adviser",
            why="Advice comes from the school's linked exclusion intervention adviser "
            "in the area team (KSAH §8, §19).",
        ),
        virtual_school_copy("A child in care: the Virtual School is told (KSAH §16, §19)."),
    ),
)
