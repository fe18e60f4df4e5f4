"""The deletion pathway's questions: the pupil, the ground and its details, where the pupil
is going, the parents and the professionals involved."""

from __future__ import annotations

from referrals.engine.definitions import AllOf, Equals, Field, Kind, Not, OneOf, Step
from referrals.pathways.common import (
    PARENT_PHONE,
    about_you_step,
    forwarding_address_fields,
    parents_field,
    parents_living_with,
    pupil_details_step,
    pupil_step,
)
from referrals.pathways.deletion.grounds import (
    DIED_GROUNDS,
    EXCLUDED_GROUNDS,
    GROUNDS,
    KNOWN_TO_PROFESSIONALS,
    SPECIAL_SCHOOL,
)
from schools.imports.ctf import LOST_PUPIL_ESTAB, LOST_PUPIL_LEA

STEPS: tuple[Step, ...] = (
    about_you_step(),
    # A pupil the school's register feed has already taken off roll may still be returned.
    pupil_step(include_left=True),
    pupil_details_step(),
    Step(
        "ground",
        "Ground for deletion",
        (
            Field(
                "ground",
                "What is the ground for deletion?",
                kind=Kind.RADIOS,
                choices=GROUNDS,
                hint="Regulation 9 of the School Attendance (Pupil Registration) (England) "
                "Regulations 2024",
                error_required="Select the ground for deletion",
                summary_label="Ground",
            ),
        ),
    ),
    Step(
        "date",
        "Date of deletion",
        (
            Field(
                "deletion_date",
                "Date the pupil's name is deleted",
                kind=Kind.DATE,
                hint="The register must be kept up to this day: a deletion cannot be backdated",
                error_required="Enter the date of deletion",
                summary_label="Date of deletion",
            ),
        ),
    ),
    Step(
        "ground-details",
        "About the ground",
        (
            Field(
                "sao_names_school",
                "Does a school attendance order name this school?",
                kind=Kind.YES_NO,
                shown_when=Equals("ground", "1a"),
                error_required="Select yes if a school attendance order names this school",
            ),
            Field(
                "other_schools_consent",
                "Have the other schools consented to the deletion?",
                kind=Kind.YES_NO,
                shown_when=Equals("ground", "1c"),
                error_required="Select yes if the other schools have consented",
            ),
            Field(
                "order_date",
                "Date the local authority amended or revoked the order",
                kind=Kind.DATE,
                shown_when=OneOf("ground", ("1d", "1e")),
                error_required="Enter the date the order was amended or revoked",
            ),
            Field(
                "parent_notice_date",
                "Date the parent told you they are home educating",
                kind=Kind.DATE,
                shown_when=Equals("ground", "1f"),
                error_required="Enter the date the parent told you",
            ),
            Field(
                "sao_in_force",
                "Is the pupil subject to a school attendance order?",
                kind=Kind.YES_NO,
                shown_when=Equals("ground", "1f"),
                error_required="Select yes if the pupil is subject to a school attendance order",
            ),
            Field(
                "la_agreement",
                "Has the authority's SEND team agreed to the deletion?",
                kind=Kind.YES_NO,
                shown_when=AllOf(Equals("ground", "1f"), SPECIAL_SCHOOL),
                hint="A pupil of compulsory school age at a special school cannot be deleted "
                "without the authority's agreement",
                error_required="Select yes if the SEND team has agreed",
            ),
            Field(
                "leave_end_date",
                "Last day of the leave of absence",
                kind=Kind.DATE,
                shown_when=Equals("ground", "1h"),
                error_required="Enter the last day of the leave of absence",
            ),
            Field(
                "detention_detail",
                "Details of the order and where the pupil is detained",
                kind=Kind.TEXTAREA,
                shown_when=Equals("ground", "1j"),
                max_length=2000,
                error_required="Enter details of the order",
            ),
            Field(
                "date_of_death",
                "Date of death",
                kind=Kind.DATE,
                shown_when=OneOf("ground", DIED_GROUNDS),
                error_required="Enter the date of death",
            ),
            Field(
                "exclusion_concluded",
                "Have all the exclusion processes concluded?",
                kind=Kind.YES_NO,
                shown_when=OneOf("ground", EXCLUDED_GROUNDS),
                hint="The governors' consideration, and any independent review or the time "
                "allowed to request one",
                error_required="Select yes if all the exclusion processes have concluded",
            ),
        ),
    ),
    Step(
        "destination",
        "Where the pupil is going",
        (
            Field(
                "new_school",
                "Name and town of the pupil's new school",
                max_length=200,
                required_when=OneOf("ground", ("1a", "1c")),
                hint="Leave blank if not known",
                error_required="Enter the name of the pupil's new school",
            ),
            Field(
                "new_school_start",
                "Date the pupil starts at the new school",
                kind=Kind.DATE,
                required=False,
                hint="Leave blank if not known. Regulation 13(4) with regulation 8",
                summary_label="Starts at the new school",
            ),
            *forwarding_address_fields(
                "Do you have a forwarding address for the pupil?",
                also_reveals=("new_address_from",),
            ),
            Field(
                "new_address_from",
                "Date from which the pupil lives at the new address",
                kind=Kind.DATE,
                required=False,
                hint="Leave blank if not known. Regulation 13(4) with regulation 8",
                summary_label="Lives at the new address from",
            ),
        ),
        shown_when=Not(OneOf("ground", DIED_GROUNDS)),
        intro=(
            "If the next school is not known, send the common transfer file to "
            f"LA {LOST_PUPIL_LEA}, school {LOST_PUPIL_ESTAB}.",
        ),
    ),
    Step(
        "parents",
        "Parents the pupil lives with",
        (
            parents_field(
                prefill=parents_living_with,
                error_required="Add each parent the pupil lives with",
                more=(PARENT_PHONE,),
            ),
            Field(
                "emergency_phone",
                "Emergency telephone number",
                kind=Kind.PHONE,
                width="govuk-input--width-20",
                error_required="Enter an emergency telephone number",
            ),
        ),
    ),
    Step(
        "professionals",
        "Professionals involved",
        (
            Field(
                "professionals_told",
                "Have you contacted the pupil's social worker, EHCP "
                "lead or carers before deleting?",
                kind=Kind.YES_NO,
                error_required="Select yes if you have contacted them",
                summary_label="Professionals contacted",
            ),
        ),
        shown_when=KNOWN_TO_PROFESSIONALS,
    ),
)
