"""Pathway 11: professional request for KPAS advice or involvement — the authority's own
staff only, not schools (KSAH §10)."""

from __future__ import annotations

from referrals.engine.definitions import (
    Audience,
    Choice,
    Equals,
    Field,
    Kind,
    OneOf,
    Pathway,
    RoutingRule,
    Step,
    Subject,
)
from referrals.pathways.common import pupil_details_step, pupil_step, school_step

EXCLUSION_TOPICS = OneOf("topic", ("exclusion", "part_time_timetable"))

PATHWAY = Pathway(
    number=11,
    slug="professional-request",
    title="Professional request for KPAS advice or involvement",
    summary="For the authority's own practitioners: ask KPAS for advice or direct involvement "
    "about attendance or exclusion.",
    audiences=frozenset({Audience.AUTHORITY_STAFF}),
    subject=Subject.PUPIL,
    kind_label="request",
    source="KSAH §10",
    who_for=(
        "Use this form if you work for the authority (for example in Early Help or children's "
        "social care) and want advice or direct involvement from KPAS about a pupil's "
        "attendance or exclusion.",
        "This form is not for schools: schools use the other Digital Front Door forms.",
    ),
    you_need=(
        "the pupil's school and, if you know it, their unique pupil number (UPN)",
        "what you are asking for and why",
    ),
    steps=(
        school_step(),
        pupil_step(hint="Leave blank if you do not know it", required=False),
        pupil_details_step(),
        Step(
            "request",
            "Your request",
            (
                Field(
                    "request_type",
                    "What are you asking for?",
                    kind=Kind.RADIOS,
                    choices=(
                        Choice("advice", "Advice"),
                        Choice("involvement", "Direct involvement from a KPAS officer"),
                    ),
                    error_required="Select what you are asking for",
                    summary_label="Asking for",
                ),
                Field(
                    "topic",
                    "What is it about?",
                    kind=Kind.RADIOS,
                    choices=(
                        Choice("attendance", "Attendance"),
                        Choice("exclusion", "Suspension or exclusion"),
                        Choice("part_time_timetable", "A part-time timetable"),
                        Choice("missing_education", "A child who may be missing education"),
                        Choice("other", "Something else"),
                    ),
                    error_required="Select what the request is about",
                    summary_label="About",
                ),
                Field(
                    "your_service",
                    "Your service and role",
                    max_length=200,
                    hint="For example, Early Help unit, family practitioner",
                    error_required="Enter your service and role",
                ),
                Field(
                    "request_detail",
                    "Tell us about the request",
                    kind=Kind.TEXTAREA,
                    max_length=5000,
                    error_required="Tell us about the request",
                ),
                Field(
                    "family_aware",
                    "Does the family know about this request?",
                    kind=Kind.YES_NO,
                    error_required="Select yes if the family knows about this request",
                ),
            ),
        ),
    ),
    routing=(
        RoutingRule(
            "area_attendance",
            by_area=True,
            officer="exclusion_adviser",
            when=EXCLUSION_TOPICS,
            why="Exclusion matters: the school's linked exclusion intervention adviser "
            "(KSAH §8, §10).",
        ),
        RoutingRule(
            "area_attendance",
            by_area=True,
            officer="attendance_officer",
            why="Attendance and everything else: the linked attendance officer of the "
            "pupil's school (KSAH §10).",
        ),
        RoutingRule(
            "cme",
            when=Equals("topic", "missing_education"),
            copy=True,
            why="The central CME team (KSAH §22).",
        ),
    ),
)
