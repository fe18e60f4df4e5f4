"""Questions and checks several pathways share: who is sending, which school and pupil,
the pupil's parents and forwarding address, and the teams told about a child in care or
with an EHCP.

Each pathway lists these steps explicitly, so a pathway's module reads as the whole form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from referrals.engine.definitions import (
    ANONYMOUS,
    SIGNED_IN,
    AllOf,
    AnyOf,
    Choice,
    ChoosesSchool,
    Field,
    FromRegister,
    Includes,
    Kind,
    RoutingRule,
    Step,
    When,
)
from referrals.pathways.checks import NotInFuture

if TYPE_CHECKING:
    from referrals.engine.context import Context


# --- the pupil's characteristics (DOMAIN §1) ---------------------------------------------------
FLAG_CHOICES = (
    Choice("ehcp", "Has an education, health and care plan (EHCP)"),
    Choice("sen_support", "Receives SEN support"),
    Choice("in_care", "Is in the care of a local authority (child in care)"),
    Choice("social_worker", "Has a social worker"),
    Choice("cp_plan", "Is subject to a child protection plan"),
    Choice("early_help", "Is known to Early Help"),
    Choice("youth_offending", "Is known to the youth offending team"),
    Choice("none", "None of these", exclusive=True),
)
_FLAG_SOURCES = {
    "ehcp": "ehcp",
    "sen_support": "sen_support",
    "in_care": "child_in_care",
    "social_worker": "social_worker",
    "early_help": "known_to_early_help",
    "youth_offending": "known_to_youth_offending",
}


def pupil_flags_from_register(ctx: Context) -> list[str]:
    pupil = ctx.pupil
    if pupil is None:
        return []
    flags = [flag for flag, attribute in _FLAG_SOURCES.items() if getattr(pupil, attribute)]
    if pupil.known_to_social_care and "social_worker" not in flags:
        flags.append("social_worker")
    return flags or ["none"]


IN_CARE = Includes("pupil_flags", "in_care")
HAS_EHCP = Includes("pupil_flags", "ehcp")
HAS_SOCIAL_WORKER = Includes("pupil_flags", "social_worker")
CP_PLAN = Includes("pupil_flags", "cp_plan")
# A pupil other professionals work with: they are consulted or told first.
KNOWN_TO_SERVICES = AnyOf(HAS_EHCP, IN_CARE, HAS_SOCIAL_WORKER, CP_PLAN)


def pupil_address(ctx: Context) -> str:
    pupil = ctx.pupil
    if pupil is None:
        return ""
    parts = [pupil.address_line_1, pupil.address_line_2, pupil.town, pupil.postcode]
    return "\n".join(part for part in parts if part)


def parents_from_register(ctx: Context) -> list[dict[str, Any]]:
    """Every parent linked to the pupil in the register (EA96 s.576: each is a parent)."""
    if ctx.pupil is None or ctx.lookups is None:
        return []
    return ctx.lookups.parents(ctx.pupil)


def parents_living_with(ctx: Context) -> list[dict[str, Any]]:
    """The parents the pupil lives with (the deletion return, DOMAIN §8)."""
    return [row for row in parents_from_register(ctx) if row.get("_lives_with", True)]


# --- steps ----------------------------------------------------------------------------------
def about_you_step(*, school_question: bool = True) -> Step:
    """Without an account: who is sending the form and from which school (KSAH §10)."""
    fields = [
        Field(
            "referrer_name",
            "Your full name",
            autocomplete="name",
            max_length=150,
            error_required="Enter your full name",
        ),
        Field(
            "referrer_role",
            "Your role at the school",
            hint="For example, headteacher or attendance officer",
            max_length=100,
            error_required="Enter your role",
        ),
        Field(
            "referrer_email",
            "Your email address",
            kind=Kind.EMAIL,
            autocomplete="email",
            hint="We will send the reference number to this address",
            error_required="Enter your email address",
        ),
        Field(
            "referrer_phone",
            "Your telephone number",
            kind=Kind.PHONE,
            required=False,
            autocomplete="tel",
            width="govuk-input--width-20",
        ),
    ]
    if school_question:
        fields.append(
            Field(
                "school_urn",
                "Your school's unique reference number (URN)",
                kind=Kind.SCHOOL,
                hint="6 to 8 numbers. You can find it on Get Information about Schools",
                width="govuk-input--width-10",
                error_required="Enter your school's URN",
                summary_label="School",
            )
        )
    return Step(
        "about-you",
        "About you",
        tuple(fields),
        shown_when=ANONYMOUS,
        intro=(
            "You are sending this form without an account. We will email the "
            "reference number to you.",
        ),
    )


def school_step() -> Step:
    """Signed-in staff of several schools say which one; the only school is implied."""
    return Step(
        "school",
        "Which school is this for?",
        (
            Field(
                "school_urn",
                "Which school is this for?",
                kind=Kind.SCHOOL,
                hint="Its unique reference number (URN)",
                error_required="Select the school",
                summary_label="School",
            ),
        ),
        shown_when=AllOf(SIGNED_IN, ChoosesSchool()),
    )


def pupil_step(*, hint: str = "", required: bool = True, include_left: bool = False) -> Step:
    """The pupil's UPN; optional (`required=False`) for the authority's own staff;
    `include_left`: also a pupil the school's register feed has already taken off roll."""
    return Step(
        "pupil",
        "Which pupil is this about?",
        (
            Field(
                "upn",
                "What is the pupil's unique pupil number (UPN)?",
                kind=Kind.PUPIL,
                hint=hint or "13 characters: a letter then 12 numbers, for example D886200100001",
                required=required,
                width="govuk-input--width-20",
                error_required="Enter the pupil's UPN" if required else "",
                summary_label="UPN",
                include_left=include_left,
            ),
        ),
    )


def pupil_details_step(*, address: bool = True, flags_hint: str = "") -> Step:
    """The pupil's details: pre-filled from the register for signed-in staff, editable
    because the form is the authority's record of what the school told it."""
    fields = [
        Field(
            "pupil_forename",
            "Legal first name",
            prefill="pupil.forename",
            max_length=100,
            error_required="Enter the pupil's first name",
            autocomplete="off",
        ),
        Field(
            "pupil_surname",
            "Legal last name",
            prefill="pupil.surname",
            max_length=100,
            error_required="Enter the pupil's last name",
            autocomplete="off",
        ),
        Field(
            "pupil_dob",
            "Date of birth",
            kind=Kind.DATE,
            prefill="pupil.date_of_birth",
            hint="For example, 27 3 2015",
            error_required="Enter the pupil's date of birth",
            validators=(NotInFuture("Date of birth must be in the past"),),
        ),
    ]
    if address:
        fields.append(
            Field(
                "pupil_address",
                "Home address",
                kind=Kind.TEXTAREA,
                prefill=pupil_address,
                max_length=400,
                error_required="Enter the pupil's home address",
                hint="Include the postcode",
            )
        )
    fields.append(
        Field(
            "pupil_flags",
            "Which of these apply to the pupil?",
            kind=Kind.CHECKBOXES,
            choices=FLAG_CHOICES,
            prefill=pupil_flags_from_register,
            hint=flags_hint or "Select all that apply",
            error_required="Select which of these apply to the pupil, or select none of these",
            summary_label="About the pupil",
        )
    )
    return Step(
        "pupil-details",
        "The pupil's details",
        tuple(fields),
        intro=(
            (
                FromRegister(),
                "We have filled these in from your school's register. Correct "
                "anything that is wrong: this form records what you tell us.",
            ),
        ),
    )


# --- questions ------------------------------------------------------------------------------
def yes_revealing(*names: str) -> tuple[Choice, Choice]:
    """Yes-or-no choices where yes reveals the follow-up questions `names`."""
    return (Choice("yes", "Yes", reveals=names), Choice("no", "No"))


def forwarding_address_fields(
    question: str, *, also_reveals: tuple[str, ...] = ()
) -> tuple[Field, Field]:
    """Whether the school has a forwarding address for the pupil, and the address (yes also
    reveals the questions `also_reveals`, declared by the caller)."""
    return (
        Field(
            "forwarding_address_known",
            question,
            kind=Kind.YES_NO,
            choices=yes_revealing("forwarding_address", *also_reveals),
            error_required="Select yes if you have a forwarding address",
            summary_label="Forwarding address known",
        ),
        Field(
            "forwarding_address",
            "Forwarding address",
            kind=Kind.TEXTAREA,
            max_length=400,
            error_required="Enter the forwarding address",
        ),
    )


PARENT_PHONE = Field("phone", "Telephone", kind=Kind.PHONE, required=False)


def parents_field(
    *, prefill: Callable[[Context], Any], error_required: str, more: tuple[Field, ...] = ()
) -> Field:
    """Each parent's name and address (and the `more` questions), from the register."""
    return Field(
        "parents",
        "Parents",
        kind=Kind.GROUP,
        item_label="Parent",
        min_items=1,
        max_items=6,
        prefill=prefill,
        error_required=error_required,
        fields=(
            Field(
                "name",
                "Full name",
                max_length=150,
                error_required="Enter the parent's full name",
            ),
            Field(
                "address",
                "Address",
                kind=Kind.TEXTAREA,
                max_length=400,
                error_required="Enter the parent's address",
            ),
            *more,
        ),
    )


# --- routing --------------------------------------------------------------------------------
def virtual_school_copy(why: str) -> RoutingRule:
    """A child in care: the Virtual School is told too."""
    return RoutingRule("virtual_school", when=IN_CARE, copy=True, why=why)


def send_copy(why: str, *, when: When = HAS_EHCP) -> RoutingRule:
    """A pupil with an EHCP: the SEND team is told too."""
    return RoutingRule("send", when=when, copy=True, why=why)
