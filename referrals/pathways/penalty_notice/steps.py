"""The penalty notice pathway's questions: the pupil, the headteacher's authorisation, the
case and its details, each parent and the national framework's conditions."""

from __future__ import annotations

from referrals.engine.definitions import Choice, Equals, Field, Kind, Not, Step
from referrals.pathways.checks import DateOrder, NotInFuture
from referrals.pathways.common import (
    parents_field,
    parents_from_register,
    pupil_details_step,
    pupil_step,
    yes_revealing,
)
from referrals.pathways.penalty_notice.cases import (
    HEADTEACHER,
    LEAVE,
    NATIONAL_FRAMEWORK,
    PUBLIC_PLACE,
    UNAUTHORISED,
)

STEPS: tuple[Step, ...] = (
    pupil_step(),
    pupil_details_step(),
    Step(
        "authorisation",
        "Headteacher's authorisation",
        (
            Field(
                "head_authorises",
                "Headteacher's authorisation",
                kind=Kind.CHECKBOXES,
                shown_when=HEADTEACHER,
                choices=(Choice("yes", "I am the headteacher and I authorise this request"),),
                error_required="Confirm that you authorise this request",
                summary_label="Authorised by the headteacher",
            ),
            Field(
                "head_absent",
                "Is the headteacher absent?",
                kind=Kind.YES_NO,
                shown_when=Not(HEADTEACHER),
                hint="A senior leader may authorise a request only when the headteacher is absent",
                error_required="Select yes if the headteacher is absent",
            ),
            Field(
                "head_name",
                "Headteacher's name",
                shown_when=Not(HEADTEACHER),
                max_length=150,
                error_required="Enter the headteacher's name",
            ),
            Field(
                "head_absence",
                "Why is the headteacher absent, and until when?",
                kind=Kind.TEXTAREA,
                shown_when=Not(HEADTEACHER),
                max_length=1000,
                error_required="Say why the headteacher is absent",
            ),
            Field(
                "delegate_role",
                "Your role in the senior leadership team",
                shown_when=Not(HEADTEACHER),
                max_length=150,
                error_required="Enter your role in the senior leadership team",
            ),
        ),
    ),
    Step(
        "scenario",
        "The threshold and the case",
        (
            Field(
                "scenario",
                "Which case is this?",
                kind=Kind.RADIOS,
                choices=(
                    Choice(
                        LEAVE,
                        "Leave of absence not authorised (G)",
                        hint="At least 10 sessions coded G within 10 school weeks",
                    ),
                    Choice(
                        UNAUTHORISED,
                        "Unauthorised absence after a notice to improve (O, U, G)",
                        hint="10 or more sessions within 10 school weeks, and at least "
                        "one more during the 20 school day notice to improve period",
                    ),
                    Choice(
                        PUBLIC_PLACE,
                        "In a public place during an exclusion (E)",
                        hint="During the first 5 school days of a suspension or permanent "
                        "exclusion; outside the national framework",
                    ),
                ),
                error_required="Select which case this is",
                summary_label="Case",
            ),
        ),
        panel="threshold",
    ),
    Step(
        "leave",
        "The leave of absence",
        (
            Field(
                "leave_requested",
                "Did the parents ask for the leave?",
                kind=Kind.YES_NO,
                error_required="Select yes if the parents asked for the leave",
            ),
            Field(
                "leave_from",
                "First day of the leave",
                kind=Kind.DATE,
                error_required="Enter the first day of the leave",
            ),
            Field(
                "leave_to",
                "Last day of the leave",
                kind=Kind.DATE,
                error_required="Enter the last day of the leave",
            ),
            Field(
                "leave_reason",
                "Reason given by the parents",
                kind=Kind.TEXTAREA,
                required=False,
                max_length=2000,
            ),
        ),
        shown_when=Equals("scenario", LEAVE),
        checks=(
            DateOrder(
                "leave_from",
                "leave_to",
                "The last day of the leave must be the same as or after the first day",
            ),
        ),
    ),
    Step(
        "notice-to-improve",
        "The notice to improve",
        (
            Field(
                "nti_sent",
                "Date the notice to improve was sent",
                kind=Kind.DATE,
                error_required="Enter the date the notice to improve was sent",
                validators=(NotInFuture("The date the notice was sent must be in the past"),),
            ),
            Field(
                "nti_delivery",
                "How was it sent?",
                kind=Kind.RADIOS,
                choices=(
                    Choice(
                        "post",
                        "First class post",
                        hint="Received on the second working day after posting",
                    ),
                    Choice("hand", "By hand", hint="Received the same day"),
                ),
                error_required="Select how the notice was sent",
                summary_label="Sent by",
            ),
            Field(
                "nti_contents",
                "Did the notice include everything in paragraph 188 of "
                "Working together to improve school attendance?",
                kind=Kind.YES_NO,
                hint="The attendance record, the parent's duty, the support given and still "
                "available, a clear warning, the period and what improvement means",
                error_required="Select yes if the notice included everything required",
                summary_label="Notice complete",
            ),
        ),
        shown_when=Equals("scenario", UNAUTHORISED),
    ),
    Step(
        "exclusion",
        "The exclusion",
        (
            Field(
                "exclusion_start",
                "First day of the suspension or exclusion",
                kind=Kind.DATE,
                error_required="Enter the first day of the suspension or exclusion",
            ),
            Field(
                "seen_date",
                "Date the pupil was seen in a public place",
                kind=Kind.DATE,
                error_required="Enter the date the pupil was seen",
                validators=(NotInFuture("The date the pupil was seen must be in the past"),),
            ),
            Field(
                "seen_where",
                "Where and when was the pupil seen, and by whom?",
                kind=Kind.TEXTAREA,
                max_length=2000,
                error_required="Describe where and when the pupil was seen",
            ),
            Field(
                "dates_in_writing",
                "Were the parents told the dates of the exclusion in writing?",
                kind=Kind.YES_NO,
                error_required="Select yes if the parents were told the dates in writing",
                summary_label="Dates given in writing",
            ),
        ),
        shown_when=Equals("scenario", PUBLIC_PLACE),
        checks=(
            DateOrder(
                "exclusion_start",
                "seen_date",
                "The date seen must be the same as or after the first day of the exclusion",
            ),
        ),
    ),
    Step(
        "parents",
        "Each parent",
        (
            parents_field(
                prefill=parents_from_register,
                error_required="Add each parent the notice should be issued to",
                more=(
                    Field(
                        "previous_notices",
                        "Penalty notices for this child since 19 "
                        "August 2024, in the last 3 school years",
                        kind=Kind.RADIOS,
                        choices=(
                            Choice("0", "None"),
                            Choice("1", "One"),
                            Choice("2", "Two or more"),
                        ),
                        error_required="Select how many penalty notices this parent has had",
                    ),
                ),
            ),
        ),
        intro=(
            "A notice is issued to each parent of each child: natural parents, anyone with "
            "parental responsibility and anyone who has care of the child.",
        ),
    ),
    Step(
        "conditions",
        "The national framework's conditions",
        (
            Field(
                "safeguarding_concerns",
                "Are there any safeguarding concerns about the pupil?",
                kind=Kind.YES_NO,
                hint="For example, the pupil has not been seen by a "
                "professional or their whereabouts are uncertain",
                error_required="Select yes if there are safeguarding concerns",
            ),
            Field(
                "known_to_services",
                "Is the pupil known to Early Help or children's social care?",
                kind=Kind.YES_NO,
                choices=yes_revealing("practitioner_agrees"),
                error_required="Select yes if the pupil is known to Early Help or social care",
            ),
            Field(
                "practitioner_agrees",
                "Does the family practitioner agree a penalty notice "
                "would not conflict with their work?",
                kind=Kind.YES_NO,
                error_required="Select yes if the practitioner agrees",
            ),
            Field(
                "support_offered",
                "Has all available support been offered and been unsuccessful or not engaged with?",
                kind=Kind.YES_NO,
                shown_when=Equals("scenario", UNAUTHORISED),
                choices=yes_revealing("support_detail"),
                error_required="Select yes if support has been offered",
            ),
            Field(
                "support_detail",
                "What support was offered?",
                kind=Kind.TEXTAREA,
                max_length=3000,
                error_required="Describe the support offered",
            ),
            Field(
                "best_tool",
                "Is a penalty notice the best available tool to change the parents' behaviour?",
                kind=Kind.YES_NO,
                shown_when=Equals("scenario", UNAUTHORISED),
                hint="Rather than another legal intervention, such as statutory attendance "
                "intervention",
                error_required="Select yes if it is the best tool",
            ),
            Field(
                "equality_considered",
                "Have your duties under the Equality Act 2010 been considered and met?",
                kind=Kind.YES_NO,
                shown_when=NATIONAL_FRAMEWORK,
                hint="For example, where the pupil has a disability",
                error_required="Select yes if Equality Act duties have been considered",
            ),
            Field(
                "policy_explains",
                "Does your attendance policy explain the national framework for penalty notices?",
                kind=Kind.YES_NO,
                shown_when=NATIONAL_FRAMEWORK,
                error_required="Select yes if your policy explains the national framework",
            ),
        ),
    ),
)
