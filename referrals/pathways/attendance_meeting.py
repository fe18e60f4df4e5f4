"""Pathway 5: request KPAS attendance at a formal attendance meeting (KSAH §13, §15 iii and
the intervention levels appendix)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from referrals.engine.definitions import (
    Audience,
    Choice,
    Field,
    Kind,
    OnFail,
    Pathway,
    Requirement,
    RoutingRule,
    Step,
    Subject,
)
from referrals.pathways.checks import (
    DateOrder,
    NotInPast,
    codes_fit_age_requirement,
    from_register,
    yes_to,
)
from referrals.pathways.common import about_you_step, pupil_details_step, pupil_step

if TYPE_CHECKING:
    pass


PATHWAY = Pathway(
    number=5,
    slug="formal-attendance-meeting",
    title="Request KPAS attendance at a formal attendance meeting",
    summary="Invite your KPAS attendance officer to a formal attendance meeting with parents.",
    audiences=frozenset({Audience.SCHOOL_STAFF, Audience.ANONYMOUS}),
    subject=Subject.PUPIL,
    kind_label="request",
    source="KSAH §13; §15 iii",
    who_for=(
        "Use this form to invite your linked KPAS attendance officer to a formal attendance "
        "meeting with parents, led by a member of your senior leadership team, where voluntary "
        "support has not worked.",
        "The officer will attend if the circumstances are appropriate: the absences are "
        "unauthorised and enforcement is being considered. They explain the legal "
        "interventions that may follow.",
    ),
    you_need=(
        "the pupil's unique pupil number (UPN)",
        "two dates you propose for the meeting",
        "the support the school has already offered",
    ),
    steps=(
        about_you_step(),
        pupil_step(),
        pupil_details_step(),
        Step(
            "meeting",
            "The meeting",
            (
                Field(
                    "first_date",
                    "Proposed date",
                    kind=Kind.DATE,
                    error_required="Enter the proposed date of the meeting",
                    validators=(NotInPast("The proposed date must be today or in the future"),),
                ),
                Field(
                    "second_date",
                    "Another date you could offer",
                    kind=Kind.DATE,
                    error_required="Enter another date you could offer",
                    validators=(NotInPast("The other date must be today or in the future"),),
                ),
                Field(
                    "time_of_day",
                    "Time",
                    hint="For example, 9:30am",
                    max_length=40,
                    width="govuk-input--width-10",
                    error_required="Enter the time of the meeting",
                ),
                Field(
                    "venue",
                    "Where will it be held?",
                    kind=Kind.RADIOS,
                    choices=(
                        Choice("school", "At the school"),
                        Choice("online", "Online"),
                    ),
                    error_required="Select where the meeting will be held",
                ),
                Field(
                    "led_by",
                    "Who from your senior leadership team will lead it?",
                    max_length=150,
                    hint="Name and role, for example the Senior Attendance Champion",
                    error_required="Enter who will lead the meeting",
                    summary_label="Led by",
                ),
            ),
            checks=(
                DateOrder(
                    "first_date",
                    "second_date",
                    "The other date must be the same as or after the proposed date",
                ),
            ),
        ),
        Step(
            "absence",
            "The absence",
            (
                Field(
                    "absence_unauthorised",
                    "Are the absences you want to discuss unauthorised?",
                    kind=Kind.YES_NO,
                    error_required="Select yes if the absences are unauthorised",
                    summary_label="Absences unauthorised",
                ),
                Field(
                    "enforcement_considered",
                    "Is the school considering legal intervention?",
                    kind=Kind.YES_NO,
                    error_required="Select yes if the school is considering legal intervention",
                    summary_label="Legal intervention considered",
                ),
                Field(
                    "support_offered",
                    "What support has the school offered so far?",
                    kind=Kind.TEXTAREA,
                    max_length=4000,
                    error_required="Describe the support the school has offered",
                ),
                Field(
                    "barriers",
                    "What barriers to attendance do you know of?",
                    kind=Kind.TEXTAREA,
                    required=False,
                    max_length=4000,
                ),
            ),
            panel="attendance",
        ),
    ),
    requirements=(
        codes_fit_age_requirement(),
        Requirement(
            "absences-unauthorised",
            "The absences are unauthorised",
            yes_to("absence_unauthorised"),
            OnFail.BLOCK,
            "A KPAS officer attends a formal attendance meeting when the absences are "
            "unauthorised. Speak to your linked officer for advice instead.",
            "KSAH §13",
            field="absence_unauthorised",
        ),
        Requirement(
            "register-unauthorised",
            "The register shows unauthorised absence this school year",
            from_register(lambda facts, ctx: facts.unauthorised > 0),
            OnFail.REASON,
            "The register shows no unauthorised absence this school year.",
            "KSAH §13",
        ),
        Requirement(
            "enforcement-considered",
            "Legal intervention is being considered",
            yes_to("enforcement_considered"),
            OnFail.REASON,
            "The officer attends when enforcement is being considered.",
            "KSAH §13",
        ),
    ),
    routing=(
        RoutingRule(
            "area_attendance",
            by_area=True,
            officer="attendance_officer",
            why="The school's linked attendance officer attends (KSAH §13, §10).",
        ),
    ),
)
