"""Pathway 10: notify of a part-time timetable, also used for flexi-schooling (KSAH §18;
DOMAIN §11)."""

from __future__ import annotations

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
from referrals.pathways.checks import DateOrder, codes_fit_age_requirement, no_to, yes_to
from referrals.pathways.common import (
    KNOWN_TO_SERVICES,
    about_you_step,
    pupil_details_step,
    pupil_step,
    send_copy,
    virtual_school_copy,
)

PART_TIME = Equals("arrangement", "part_time")
FLEXI = Equals("arrangement", "flexi")
NEEDS_CONSULTATION = KNOWN_TO_SERVICES

PATHWAY = Pathway(
    number=10,
    slug="part-time-timetable",
    title="Notify us of a part-time timetable or flexi-schooling",
    summary="Tell the authority about a pupil on a part-time timetable or a flexi-schooling "
    "arrangement.",
    audiences=frozenset({Audience.SCHOOL_STAFF, Audience.ANONYMOUS}),
    subject=Subject.PUPIL,
    kind_label="notification",
    source="KSAH §18; DOMAIN §11",
    who_for=(
        "Use this form to tell the authority about a pupil on a part-time timetable, or about "
        "a flexi-schooling arrangement. There is no statutory duty, but Kent asks schools to "
        "tell us.",
        "A part-time timetable must be temporary, as short as possible, agreed by the parent "
        "the pupil normally lives with, and never used to manage behaviour. Record the sessions "
        "the pupil does not attend as C2 (flexi-schooling home days as C).",
    ),
    you_need=(
        "the pupil's unique pupil number (UPN)",
        "the start date, the proposed end date and the review dates",
        "the sessions the pupil will attend each week",
        "whether you have the parent's consent and a risk assessment",
    ),
    steps=(
        about_you_step(),
        pupil_step(),
        pupil_details_step(),
        Step(
            "arrangement",
            "The arrangement",
            (
                Field(
                    "arrangement",
                    "What kind of arrangement is it?",
                    kind=Kind.RADIOS,
                    choices=(
                        Choice(
                            "part_time",
                            "Part-time timetable",
                            hint="Temporary; absent (C2) for the sessions not attended",
                        ),
                        Choice(
                            "flexi",
                            "Flexi-schooling",
                            hint="Educated at home part of the week; home days are coded C",
                        ),
                    ),
                    error_required="Select the kind of arrangement",
                    summary_label="Arrangement",
                ),
            ),
        ),
        Step(
            "reason",
            "Why",
            (
                Field(
                    "reason",
                    "Why is the pupil on a part-time timetable?",
                    kind=Kind.RADIOS,
                    shown_when=PART_TIME,
                    choices=(
                        Choice(
                            "health",
                            "Returning to school after absence for physical or "
                            "mental health reasons",
                        ),
                        Choice("transition", "Moving into a new school"),
                        Choice("other", "Another reason"),
                    ),
                    error_required="Select why the pupil is on a part-time timetable",
                ),
                Field(
                    "reason_detail",
                    "Tell us more",
                    kind=Kind.TEXTAREA,
                    max_length=3000,
                    error_required="Tell us more about the reason",
                ),
                Field(
                    "for_behaviour",
                    "Is the timetable being used to manage the pupil's behaviour?",
                    kind=Kind.YES_NO,
                    shown_when=PART_TIME,
                    error_required="Select yes if the timetable is being used to manage behaviour",
                    summary_label="To manage behaviour",
                ),
                Field(
                    "flexi_policy",
                    "Does the school have a flexi-schooling policy?",
                    kind=Kind.YES_NO,
                    shown_when=FLEXI,
                    error_required="Select yes if the school has a flexi-schooling policy",
                ),
            ),
        ),
        Step(
            "dates",
            "Dates and sessions",
            (
                Field(
                    "start_date",
                    "Start date",
                    kind=Kind.DATE,
                    error_required="Enter the start date",
                ),
                Field(
                    "proposed_end",
                    "Proposed end date",
                    kind=Kind.DATE,
                    shown_when=PART_TIME,
                    hint="A part-time timetable must be temporary. The end date can be extended "
                    "at a review",
                    error_required="Enter the proposed end date",
                ),
                Field(
                    "reviews",
                    "Review dates",
                    kind=Kind.GROUP,
                    item_label="Review",
                    min_items=1,
                    max_items=12,
                    shown_when=PART_TIME,
                    error_required="Add at least one review date",
                    fields=(
                        Field(
                            "date",
                            "Review date",
                            kind=Kind.DATE,
                            error_required="Enter the review date",
                        ),
                    ),
                ),
                Field(
                    "sessions_attended",
                    "How many sessions a week will the pupil attend?",
                    kind=Kind.INTEGER,
                    min_value=0,
                    max_value=9,
                    width="govuk-input--width-2",
                    hint="Out of 10: a morning and an afternoon each day",
                    error_required="Enter how many sessions a week the pupil will attend",
                    summary_label="Sessions attended each week",
                ),
                Field(
                    "timetable",
                    "Describe the timetable",
                    kind=Kind.TEXTAREA,
                    max_length=2000,
                    hint="For example, mornings only, Monday to Thursday",
                    error_required="Describe the timetable",
                ),
            ),
            checks=(
                DateOrder(
                    "start_date",
                    "proposed_end",
                    "The proposed end date must be after the start date",
                ),
            ),
        ),
        Step(
            "safeguards",
            "Consent and safeguards",
            (
                Field(
                    "parental_consent",
                    "Has the parent the pupil normally lives with consented?",
                    kind=Kind.YES_NO,
                    error_required="Select yes if the parent has consented",
                    summary_label="Parent's consent",
                ),
                Field(
                    "risk_assessment",
                    "Have you completed a risk assessment for the time the pupil is not in school?",
                    kind=Kind.YES_NO,
                    error_required="Select yes if you have completed a risk assessment",
                    summary_label="Risk assessment",
                ),
                Field(
                    "services_consulted",
                    "Have you consulted the relevant service (SEND, social "
                    "care or the Virtual School)?",
                    kind=Kind.YES_NO,
                    shown_when=NEEDS_CONSULTATION,
                    error_required="Select yes if you have consulted the relevant service",
                    summary_label="Services consulted",
                ),
            ),
        ),
    ),
    requirements=(
        codes_fit_age_requirement(),
        Requirement(
            "not-for-behaviour",
            "The timetable is not used to manage behaviour",
            no_to("for_behaviour"),
            OnFail.BLOCK,
            "A part-time timetable must not be used to manage a pupil's behaviour. "
            "Request exclusion intervention advice instead.",
            "KSAH §18, §19; WTISA para 66",
            applies_when=PART_TIME,
            field="for_behaviour",
        ),
        Requirement(
            "consent",
            "The parent has consented",
            yes_to("parental_consent"),
            OnFail.BLOCK,
            "Parental consent must be obtained: every pupil is entitled to a full-time education.",
            "KSAH §18; DOMAIN §11",
            field="parental_consent",
        ),
        Requirement(
            "risk-assessment",
            "A risk assessment has been completed",
            yes_to("risk_assessment"),
            OnFail.REASON,
            "A risk assessment should be completed for the time the pupil is not in school.",
            "KSAH §18",
        ),
        Requirement(
            "services-consulted",
            "The relevant service has been consulted",
            yes_to("services_consulted"),
            OnFail.REASON,
            "The relevant service should be consulted for a pupil with an EHCP, a "
            "social care plan or in care.",
            "KSAH §18",
            applies_when=NEEDS_CONSULTATION,
        ),
        Requirement(
            "flexi-policy",
            "The school has a flexi-schooling policy",
            yes_to("flexi_policy"),
            OnFail.REASON,
            "A school considering flexi-schooling should have a formal policy.",
            "KSAH §18",
            applies_when=FLEXI,
        ),
    ),
    routing=(
        RoutingRule(
            "area_attendance",
            by_area=True,
            officer="exclusion_adviser",
            why="Exclusion intervention advisers advise on part-time timetables "
            "(KSAH §8); the area team for the school's district.",
        ),
        send_copy("An EHCP must be discussed with the authority (DOMAIN §11)."),
        virtual_school_copy("A child in care: the Virtual School is consulted (KSAH §18)."),
    ),
)
