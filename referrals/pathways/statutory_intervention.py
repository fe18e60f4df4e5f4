"""Pathway 7: request statutory attendance intervention (KSAH §15 iv; DOMAIN §6)."""

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
    StepKind,
    Subject,
)
from referrals.pathway_rules import CURRENT_TIMETABLE_SCHOOL_DAYS, c2_in_latest_days
from referrals.pathways.checks import (
    codes_fit_age_requirement,
    compulsory_school_age,
    from_register,
    no_to,
)
from referrals.pathways.common import (
    PARENT_PHONE,
    about_you_step,
    parents_field,
    parents_from_register,
    pupil_details_step,
    pupil_step,
)
from schools.register_facts import RECENT_SCHOOL_DAYS

if TYPE_CHECKING:
    from referrals.engine.context import Context


def _current_c2(facts) -> int:  # type: ignore[no-untyped-def]
    """C2 sessions in the most recent school week the register reached."""
    days = facts.calendar.last_school_days(facts.as_of, CURRENT_TIMETABLE_SCHOOL_DAYS)
    return c2_in_latest_days(facts.marks, days)


def _recent_detail(ctx: Context) -> str:
    facts = ctx.facts
    if facts is None:
        return ""
    return (
        f"The register shows {facts.recent_unauthorised} unauthorised sessions and "
        f"{facts.recent_c2} C2 sessions in the last {len(facts.recent_days)} school days."
    )


PATHWAY = Pathway(
    number=7,
    slug="statutory-attendance-intervention",
    title="Request statutory attendance intervention",
    summary="Ask KPAS to take forward legal intervention where support has not worked.",
    audiences=frozenset({Audience.SCHOOL_STAFF, Audience.ANONYMOUS}),
    subject=Subject.PUPIL,
    kind_label="request",
    source="KSAH §15 iv; DOMAIN §6",
    who_for=(
        "Use this form when voluntary support has not worked or was not engaged with and you "
        "want the authority to take forward statutory attendance intervention, which may lead "
        "to an education supervision order or prosecution.",
        "Your linked attendance officer will arrange an Attendance Improvement Meeting in "
        "school with the parents.",
        "Legal intervention cannot be pursued while the pupil is on a part-time timetable. KPAS "
        "closes a referral when there is no unauthorised absence in the most recent 20 school "
        "days.",
    ),
    you_need=(
        "the pupil's unique pupil number (UPN)",
        "the support tried and how the parents engaged with it",
        "each parent's name and address",
        "evidence, such as letters, meeting notes or an attendance contract (PDF, Word, PNG or "
        "JPEG)",
    ),
    steps=(
        about_you_step(),
        pupil_step(),
        pupil_details_step(),
        Step(
            "timetable",
            "Attendance and part-time timetable",
            (
                Field(
                    "part_time_timetable",
                    "Is the pupil on a part-time timetable?",
                    kind=Kind.YES_NO,
                    error_required="Select yes if the pupil is on a part-time timetable",
                    summary_label="On a part-time timetable",
                ),
            ),
            panel="attendance",
        ),
        Step(
            "support",
            "Support tried",
            (
                Field(
                    "support_tried",
                    "What support has the school and other services offered?",
                    kind=Kind.TEXTAREA,
                    max_length=5000,
                    error_required="Describe the support offered",
                ),
                Field(
                    "parents_engagement",
                    "How have the parents engaged with it?",
                    kind=Kind.RADIOS,
                    choices=(
                        Choice("engaged", "Engaged, but attendance has not improved"),
                        Choice("partly", "Partly engaged"),
                        Choice("not_engaged", "Not engaged"),
                    ),
                    error_required="Select how the parents have engaged",
                    summary_label="Parents' engagement",
                ),
                Field(
                    "engagement_detail",
                    "Tell us more about the parents' engagement",
                    kind=Kind.TEXTAREA,
                    max_length=3000,
                    error_required="Tell us more about the parents' engagement",
                ),
                Field(
                    "attendance_contract",
                    "Has an attendance contract been used?",
                    kind=Kind.YES_NO,
                    error_required="Select yes if an attendance contract was used",
                ),
                Field(
                    "other_agencies",
                    "Which other agencies are involved?",
                    kind=Kind.TEXTAREA,
                    required=False,
                    max_length=2000,
                    hint="Leave blank if none",
                ),
            ),
        ),
        Step(
            "parents",
            "Each parent",
            (
                parents_field(
                    prefill=parents_from_register,
                    error_required="Add each parent",
                    more=(PARENT_PHONE,),
                ),
            ),
        ),
        Step(
            "evidence",
            "Evidence",
            kind=StepKind.EVIDENCE,
            intro=(
                "Upload letters to parents, meeting notes, an attendance contract or other "
                "evidence "
                "of the support offered. You can also send evidence later through your officer.",
            ),
        ),
    ),
    requirements=(
        Requirement(
            "not-part-time",
            "The pupil is not on a part-time timetable",
            no_to("part_time_timetable"),
            OnFail.BLOCK,
            "Legal intervention cannot be pursued while the pupil is on a part-time "
            "timetable: it would not be regular attendance.",
            "KSAH §15 iv; DOMAIN §6",
            field="part_time_timetable",
        ),
        Requirement(
            "compulsory-school-age",
            "The pupil is of compulsory school age",
            compulsory_school_age,
            OnFail.BLOCK,
            "Legal intervention applies only to pupils of compulsory school age.",
            "KSAH §15 iv; DOMAIN §3",
        ),
        Requirement(
            "recent-unauthorised",
            f"Unauthorised absence in the most recent {RECENT_SCHOOL_DAYS} school days",
            from_register(lambda facts, ctx: facts.recent_unauthorised > 0),
            OnFail.REASON,
            "The register shows no unauthorised absence in the most recent 20 school "
            "days: KPAS closes a referral like this unless there is a reason to go on.",
            "KSAH §15 iv; DOMAIN §6",
            detail=_recent_detail,
        ),
        Requirement(
            "no-current-c2",
            f"No C2 in the most recent {CURRENT_TIMETABLE_SCHOOL_DAYS} school days",
            from_register(lambda facts, ctx: _current_c2(facts) == 0),
            OnFail.BLOCK,
            "The register shows C2 in the most recent school days: the pupil is on a "
            "part-time timetable, and legal intervention is not pursued while they are.",
            "KSAH §15 iv, §18; DOMAIN §6",
        ),
        Requirement(
            "no-recent-c2",
            f"No C2 in the most recent {RECENT_SCHOOL_DAYS} school days",
            # While C2 is current, the block above says so; this asks why only after it.
            from_register(lambda facts, ctx: None if _current_c2(facts) else facts.recent_c2 == 0),
            OnFail.REASON,
            "The register shows C2 (part-time timetable) in the most recent 20 school days.",
            "KSAH §15 iv, §18",
        ),
        codes_fit_age_requirement(),
    ),
    routing=(
        RoutingRule(
            "area_attendance",
            by_area=True,
            officer="attendance_officer",
            why="Allocated to the school's linked attendance officer, who leads the "
            "investigation (DOMAIN §6; KSAH §15 iv).",
        ),
    ),
)
