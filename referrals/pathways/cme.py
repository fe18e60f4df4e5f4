"""Pathway 2: notify of a potential child missing education (KSAH §22; DOMAIN §7, §9)."""

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
from referrals.engine.fields import format_date
from referrals.pathways.checks import NotInFuture, compulsory_school_age, iso_date
from referrals.pathways.common import (
    about_you_step,
    forwarding_address_fields,
    pupil_details_step,
    pupil_step,
    yes_revealing,
)
from returns.rules import CME_SCHOOL_DAYS, cme_referral_due

if TYPE_CHECKING:
    from datetime import date

    from referrals.engine.context import Context

ENQUIRIES = (
    Choice("parents", "Contacted the parents (telephone, email and letter)"),
    Choice("emergency_contacts", "Contacted the emergency contacts"),
    Choice("siblings_schools", "Contacted the schools of any brothers or sisters"),
    Choice(
        "agencies",
        "Contacted agencies that may know the family",
        hint="For example, children's social care, Early Help or health services",
    ),
    Choice("home_visit", "Made a home visit"),
    Choice("neighbours", "Spoken to neighbours or the community"),
)


def _deadline(ctx: Context) -> date | None:
    last, calendar = iso_date(ctx.answers.get("last_attended")), ctx.calendar
    if last is None or calendar is None:
        return None
    return cme_referral_due(calendar, last)


def _in_time(ctx: Context) -> bool | None:
    due = _deadline(ctx)
    return None if due is None else ctx.today <= due


def _in_time_detail(ctx: Context) -> str:
    due = _deadline(ctx)
    if due is None:
        return ""
    return (
        f"The {CME_SCHOOL_DAYS}th school day after the pupil last attended is "
        f"{format_date(due.isoformat())}."
    )


def _home_visit_or_address(ctx: Context) -> bool | None:
    if ctx.answers.get("forwarding_address_known") is None:
        return None
    enquiries = ctx.answers.get("enquiries") or []
    return bool(ctx.answers.get("forwarding_address_known")) or "home_visit" in enquiries


PATHWAY = Pathway(
    number=2,
    slug="child-missing-education",
    title="Notify us of a potential child missing education",
    summary="Tell the local authority about a pupil who may be missing education, after your "
    "own reasonable enquiries.",
    audiences=frozenset({Audience.SCHOOL_STAFF, Audience.ANONYMOUS}),
    subject=Subject.PUPIL,
    kind_label="notification",
    source="KSAH §22",
    who_for=(
        "Use this form when a pupil has stopped attending and you believe they may have left "
        "the area or may not return, once you have made your own reasonable enquiries.",
        "Send it as soon as your enquiries are complete and within 10 school days of the last "
        "time the pupil attended. You do not have to wait until the 10th day.",
        "You must send this before deleting a pupil under grounds 1(g), 1(h) or 1(i), unless "
        "you have a forwarding address.",
    ),
    before_you_start=(
        "This does not replace safeguarding procedures. If you believe the child may be at "
        "risk of immediate harm, follow them now.",
    ),
    you_need=(
        "the pupil's unique pupil number (UPN)",
        "the date the pupil last attended",
        "the enquiries you have made and what they found",
        "any forwarding address or new school",
        "the names and schools of any brothers or sisters",
    ),
    steps=(
        about_you_step(),
        pupil_step(),
        pupil_details_step(),
        Step(
            "last-attended",
            "Last attendance",
            (
                Field(
                    "last_attended",
                    "When did the pupil last attend school?",
                    kind=Kind.DATE,
                    prefill="facts.last_attended",
                    hint="For example, 6 11 2026",
                    error_required="Enter the date the pupil last attended",
                    validators=(
                        NotInFuture(
                            "The date the pupil last attended must be today or in the past"
                        ),
                    ),
                    summary_label="Last attended",
                ),
            ),
            panel="last_attendance",
        ),
        Step(
            "enquiries",
            "Your reasonable enquiries",
            (
                Field(
                    "enquiries",
                    "Which enquiries have you made?",
                    kind=Kind.CHECKBOXES,
                    choices=ENQUIRIES,
                    hint="Select all that apply",
                    error_required="Select the enquiries you have made",
                    summary_label="Enquiries made",
                ),
                Field(
                    "enquiries_found",
                    "What did your enquiries find?",
                    kind=Kind.TEXTAREA,
                    max_length=4000,
                    error_required="Describe what your enquiries found",
                    summary_label="What they found",
                ),
            ),
        ),
        Step(
            "whereabouts",
            "Where the pupil may be",
            (
                *forwarding_address_fields("Do you have a forwarding address?"),
                Field(
                    "new_school_known",
                    "Do you know the pupil's new school?",
                    kind=Kind.YES_NO,
                    choices=yes_revealing("new_school"),
                    error_required="Select yes if you know the new school",
                    summary_label="New school known",
                ),
                Field(
                    "new_school",
                    "Name and town of the new school",
                    max_length=200,
                    error_required="Enter the name of the new school",
                ),
                Field(
                    "believed_location",
                    "Where do you believe the pupil is now?",
                    kind=Kind.RADIOS,
                    choices=(
                        Choice("kent", "Elsewhere in Kent"),
                        Choice("england", "Elsewhere in England"),
                        Choice("uk", "Elsewhere in the UK"),
                        Choice("abroad", "Abroad"),
                        Choice("unknown", "Not known"),
                    ),
                    error_required="Select where you believe the pupil is now",
                    summary_label="Believed to be",
                ),
            ),
        ),
        Step(
            "siblings",
            "Brothers and sisters",
            (
                Field(
                    "has_siblings",
                    "Does the pupil have brothers or sisters of school age?",
                    kind=Kind.YES_NO,
                    error_required="Select yes if the pupil has brothers or sisters of school age",
                    summary_label="Has brothers or sisters",
                ),
            ),
        ),
        Step(
            "sibling-details",
            "Brothers and sisters",
            (
                Field(
                    "siblings",
                    "Brothers and sisters",
                    kind=Kind.GROUP,
                    item_label="Brother or sister",
                    min_items=1,
                    max_items=10,
                    error_required="Add at least one brother or sister",
                    fields=(
                        Field(
                            "name",
                            "Full name",
                            max_length=150,
                            error_required="Enter the brother or sister's full name",
                        ),
                        Field("date_of_birth", "Date of birth", kind=Kind.DATE, required=False),
                        Field(
                            "school",
                            "School",
                            max_length=200,
                            required=False,
                            hint="Leave blank if not known",
                        ),
                    ),
                ),
            ),
            shown_when=Equals("has_siblings", True),
            intro=("We will contact their schools as part of our enquiries.",),
        ),
        Step(
            "safeguarding",
            "Safeguarding",
            (
                Field(
                    "safeguarding_concerns",
                    "Do you have concerns that the child is at risk of harm?",
                    kind=Kind.YES_NO,
                    choices=yes_revealing("safeguarding_detail"),
                    error_required="Select yes if you have safeguarding concerns",
                    summary_label="Safeguarding concerns",
                ),
                Field(
                    "safeguarding_detail",
                    "What are your concerns and who have you told?",
                    kind=Kind.TEXTAREA,
                    max_length=3000,
                    error_required="Describe your concerns and who you have told",
                ),
            ),
        ),
    ),
    requirements=(
        Requirement(
            "within-10-school-days",
            f"Sent within {CME_SCHOOL_DAYS} school days of the pupil's last attendance",
            _in_time,
            OnFail.REASON,
            f"This notification is later than {CME_SCHOOL_DAYS} school days after the pupil "
            "last attended.",
            "KSAH §22",
            detail=_in_time_detail,
        ),
        Requirement(
            "home-visit",
            "A home visit was made, or there is a forwarding address",
            _home_visit_or_address,
            OnFail.REASON,
            "There is no forwarding address and no home visit was made: schools should make a "
            "home visit where there is no forwarding address.",
            "KSAH §22",
        ),
        Requirement(
            "compulsory-school-age",
            "The child is of compulsory school age",
            compulsory_school_age,
            OnFail.WARN,
            "The child is not of compulsory school age. Notify us anyway, so we can follow up "
            "when they reach it.",
            "KSAH §22",
        ),
    ),
    routing=(
        RoutingRule(
            "area_attendance",
            by_area=True,
            officer="attendance_officer",
            why="Directed to the KPAS area team for the school's district, to the "
            "school's linked attendance officer (KSAH §22, §10).",
        ),
        RoutingRule(
            "cme",
            copy=True,
            why="The central CME team continues enquiries after deletion (KSAH §22).",
        ),
    ),
)
