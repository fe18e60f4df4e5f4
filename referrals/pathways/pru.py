"""Pathway 8: request single registration at a PRU (KSAH §20)."""

from __future__ import annotations

from referrals.engine.definitions import (
    Audience,
    Choice,
    Field,
    Kind,
    Pathway,
    RoutingRule,
    Step,
    Subject,
)
from referrals.pathways.checks import NotInPast
from referrals.pathways.common import (
    about_you_step,
    pupil_details_step,
    pupil_step,
    send_copy,
    virtual_school_copy,
)

# The handbook says the criteria are on the first page of Kent's form without listing them.
# These are ours (docs/dfd.md): the circumstances in which the authority usually consents.
CRITERIA = (
    Choice(
        "permanently_excluded", "Permanently excluded, and the PRU is arranging their education"
    ),
    Choice(
        "no_school_place",
        "No school place, and the In-Year Fair Access panel placed them at the PRU",
    ),
    Choice(
        "health_needs",
        "Cannot attend school because of health needs, and the PRU provides "
        "their education under section 19",
    ),
    Choice("ehcp_names_pru", "Their EHCP names the PRU"),
    Choice("other", "Another reason agreed with the authority", reveals=("other_criterion",)),
)

PATHWAY = Pathway(
    number=8,
    slug="single-registration-at-a-pru",
    title="Request single registration at a PRU",
    summary="Ask the authority to consent to a pupil being registered only at a pupil referral "
    "unit.",
    audiences=frozenset({Audience.SCHOOL_STAFF, Audience.ANONYMOUS}),
    subject=Subject.PUPIL,
    kind_label="request",
    source="KSAH §20",
    who_for=(
        "Every pupil referred to a PRU must be dual registered with a mainstream school. Use "
        "this form to ask the authority to consent to a pupil being registered only at the "
        "PRU, when they meet one or more of the criteria.",
        "Removing a pupil from roll to be single registered at a PRU without the authority's "
        "consent is off-rolling and unlawful: keep the pupil on roll until we reply.",
    ),
    you_need=(
        "the pupil's unique pupil number (UPN)",
        "which criteria the pupil meets",
        "the PRU's name and the date dual registration began",
    ),
    steps=(
        about_you_step(),
        pupil_step(),
        pupil_details_step(),
        Step(
            "criteria",
            "Criteria",
            (
                Field(
                    "criteria",
                    "Which criteria does the pupil meet?",
                    kind=Kind.CHECKBOXES,
                    choices=CRITERIA,
                    hint="Select all that apply",
                    error_required="Select the criteria the pupil meets",
                    summary_label="Criteria met",
                ),
                Field(
                    "other_criterion",
                    "Describe the reason agreed with the authority",
                    kind=Kind.TEXTAREA,
                    max_length=2000,
                    error_required="Describe the reason",
                ),
            ),
        ),
        Step(
            "placement",
            "The placement",
            (
                Field(
                    "pru_name",
                    "Name of the PRU",
                    max_length=200,
                    error_required="Enter the name of the PRU",
                ),
                Field(
                    "dual_start",
                    "Date dual registration began",
                    kind=Kind.DATE,
                    error_required="Enter the date dual registration began",
                ),
                Field(
                    "proposed_date",
                    "Proposed date of single registration",
                    kind=Kind.DATE,
                    error_required="Enter the proposed date",
                    validators=(NotInPast("The proposed date must be today or in the future"),),
                ),
                Field(
                    "parents_view",
                    "What do the parents think?",
                    kind=Kind.TEXTAREA,
                    max_length=2000,
                    error_required="Tell us what the parents think",
                ),
                Field(
                    "why_single",
                    "Why is single registration in the pupil's interest?",
                    kind=Kind.TEXTAREA,
                    max_length=4000,
                    error_required="Tell us why single registration is in the pupil's interest",
                ),
            ),
        ),
    ),
    routing=(
        RoutingRule(
            "pru",
            officer="exclusion_adviser",
            why="PRU commissioning decides consent; the school's exclusion "
            "intervention adviser advises on pupil movement (KSAH §8, §20).",
        ),
        send_copy("An EHCP's placement is the SEND team's (KSAH §19, §20)."),
        virtual_school_copy("A child in care: the Virtual School is told (KSAH §16, §20)."),
    ),
)
