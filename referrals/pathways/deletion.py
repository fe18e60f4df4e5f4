"""Pathway 4: notify of a deletion from the admission register (reg 9, reg 13; KSAH §22,
§23, §24 and the deletion-grounds appendix; DOMAIN §8, §9).

The ground decides the conditions and the routing: 1(g)/1(h)/1(i) need a CME notification
first unless the school has a forwarding address; 1(f) at a special school needs the
authority's agreement; 1(o)/3(e) only once the exclusion processes have concluded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from referrals.fields import format_date
from referrals.pathways.checks import iso_date, no_to, yes_to
from referrals.pathways.common import (
    HAS_EHCP,
    KNOWN_TO_SERVICES,
    PARENT_PHONE,
    about_you_step,
    forwarding_address_fields,
    parents_field,
    parents_living_with,
    pupil_details_step,
    pupil_step,
    send_copy,
    virtual_school_copy,
)
from referrals.pathways.definitions import (
    AllOf,
    Audience,
    Choice,
    Equals,
    Field,
    Kind,
    Not,
    OneOf,
    OnFail,
    Pathway,
    Requirement,
    RoutingRule,
    SchoolIs,
    Step,
    Subject,
)
from referrals.rules import (
    CONTINUOUS_ABSENCE_SCHOOL_DAYS,
    LEAVE_NOT_RETURNED_SCHOOL_DAYS,
    leave_ground_met_on,
)
from schools.rules import is_compulsory_school_age

if TYPE_CHECKING:
    from referrals.engine import Context

CME_PATHWAY = "child-missing-education"
EXCLUSION_PATHWAY = "suspension-or-exclusion"

GROUNDS = (
    Choice(
        "1a",
        "1(a) Registered at another school",
        hint="Not where a school attendance order names this school, this is a mobile "
        "child's main school, or dual registration has been agreed",
    ),
    Choice("1b", "1(b) Completed nursery education here and will not move to reception"),
    Choice(
        "1c",
        "1(c) Registered at other schools, stopped attending here, and they consent",
        hint="No school attendance order names this school and there are no reasonable "
        "grounds to think the pupil will attend again",
    ),
    Choice("1d", "1(d) School attendance order amended to name another school"),
    Choice("1e", "1(e) School attendance order revoked by the local authority"),
    Choice(
        "1f",
        "1(f) Education otherwise than at school (elective home education)",
        hint="The parent has told you they are educating the pupil otherwise than at school",
    ),
    Choice(
        "1g",
        "1(g) No longer lives a reasonable distance from the school",
        hint="Not a boarder, and no reasonable grounds to think the pupil will attend again",
    ),
    Choice("1h", "1(h) Not returned within 10 school days after a leave of absence"),
    Choice(
        "1i",
        "1(i) Continuously absent for at least 20 school days",
        hint="Every session G, N or O, after joint enquiries by the school and the authority",
    ),
    Choice(
        "1j",
        "1(j) Detained under a court order",
        hint="And no reasonable grounds to think the pupil will return at the end of it",
    ),
    Choice("1k", "1(k) Has died"),
    Choice(
        "1l",
        "1(l) Over compulsory school age by the time the school next meets",
        hint="And not continuing at the school, for example in the sixth form",
    ),
    Choice("1m", "1(m) A boarder whose boarding charges have not been paid"),
    Choice(
        "1n",
        "1(n) Has ceased to be a pupil of the school",
        hint="Independent and non-maintained special schools",
    ),
    Choice(
        "1o", "1(o) Permanently excluded", hint="Only once all exclusion processes have concluded"
    ),
    Choice(
        "3a", "3(a) Not a boarder and will not attend again", divider="Not of compulsory school age"
    ),
    Choice("3b", "3(b) A boarder who has ceased to be a pupil of the school"),
    Choice("3c", "3(c) Continuously absent for at least 20 school days"),
    Choice("3d", "3(d) Has died"),
    Choice("3e", "3(e) Permanently excluded"),
)
CME_GROUNDS = ("1g", "1h", "1i")
CONTINUOUS_GROUNDS = ("1i", "3c")
EXCLUDED_GROUNDS = ("1o", "3e")
DIED_GROUNDS = ("1k", "3d")
SPECIAL_SCHOOL = SchoolIs("school_type", ("special",))
KNOWN_TO_PROFESSIONALS = KNOWN_TO_SERVICES


def _ground_matches_age(ctx: Context) -> bool | None:
    ground, born, on = (
        ctx.answers.get("ground"),
        iso_date(ctx.answers.get("pupil_dob")),
        iso_date(ctx.answers.get("deletion_date")),
    )
    if not isinstance(ground, str) or born is None or on is None:
        return None
    return is_compulsory_school_age(born, on) == ground.startswith("1")


def _cme_first(ctx: Context) -> bool | None:
    if ctx.answers.get("forwarding_address_known") is True:
        return True
    if ctx.prior(CME_PATHWAY):
        return True
    return False if "forwarding_address_known" in ctx.answers else None


def _cme_detail(ctx: Context) -> str:
    prior = ctx.prior(CME_PATHWAY)
    if not prior:
        return "We have no notification of a potential child missing education for this pupil."
    if not all(p.reference for p in prior):  # without an account: no other forms' details
        return "A notification of a potential child missing education was sent for this pupil."
    return "Notified: " + ", ".join(
        f"{p.reference} on {format_date(p.submitted_on.isoformat()) if p.submitted_on else ''}"
        for p in prior
    )


def _leave_ten_days(ctx: Context) -> bool | None:
    leave_end, on = (
        iso_date(ctx.answers.get("leave_end_date")),
        iso_date(ctx.answers.get("deletion_date")),
    )
    calendar = ctx.calendar
    if leave_end is None or on is None or calendar is None:
        return None
    met_on = leave_ground_met_on(calendar, leave_end)
    if met_on is None:
        return None
    attended_since = (
        ctx.facts is not None
        and ctx.facts.last_attended is not None
        and (ctx.facts.last_attended > leave_end)
    )
    return on > met_on and not attended_since


def _leave_detail(ctx: Context) -> str:
    leave_end, calendar = iso_date(ctx.answers.get("leave_end_date")), ctx.calendar
    if leave_end is None or calendar is None:
        return ""
    met_on = leave_ground_met_on(calendar, leave_end)
    if met_on is None:
        return ""
    return (
        f"The {LEAVE_NOT_RETURNED_SCHOOL_DAYS}th school day after the leave ended is "
        f"{format_date(met_on.isoformat())}; the pupil can be deleted after it."
    )


def _continuous_absence(ctx: Context) -> bool | None:
    facts = ctx.facts
    if facts is None:
        return None
    return facts.continuous_absence.school_days >= CONTINUOUS_ABSENCE_SCHOOL_DAYS


def _continuous_detail(ctx: Context) -> str:
    facts = ctx.facts
    if facts is None:
        return ""
    run = facts.continuous_absence
    since = f" since {format_date(run.first_day.isoformat())}" if run.first_day else ""
    return (
        f"The register shows {run.school_days:g} school days in a row of G, N or O{since}, "
        f"to {format_date(facts.as_of.isoformat())}."
    )


def _not_backdated(ctx: Context) -> bool | None:
    on = iso_date(ctx.answers.get("deletion_date"))
    return None if on is None else on >= ctx.today


def _exclusion_notified(ctx: Context) -> bool | None:
    return (
        bool(ctx.prior(EXCLUSION_PATHWAY))
        if ctx.pupil is not None or ctx.answers.get("upn")
        else None
    )


PATHWAY = Pathway(
    number=4,
    slug="deletion-from-admission-register",
    title="Notify us of a deletion from the admission register",
    summary="Make the deletion return for a pupil whose name you are removing from the "
    "admission register, with the ground for deletion.",
    audiences=frozenset({Audience.SCHOOL_STAFF, Audience.ANONYMOUS}),
    subject=Subject.PUPIL,
    kind_label="return",
    source="reg 9, reg 13; KSAH §22-24 and appendix",
    who_for=(
        "Use this form for every deletion from your admission register, whatever the pupil's "
        "age, as soon as the ground is met and no later than the deletion itself.",
        "You do not need to tell us about pupils leaving at the end of your school's final year.",
        "Deleting a pupil for a reason that is not one of the grounds in regulation 9 is "
        "off-rolling and unlawful.",
    ),
    before_you_start=(
        "For grounds 1(g), 1(h) and 1(i) you must first notify us of a potential child missing "
        "education, unless you have a forwarding address. The pupil stays on roll until our "
        "enquiries are complete.",
        "If the pupil has a social worker, an EHCP or is in care, contact the professional "
        "involved before you delete.",
    ),
    you_need=(
        "the pupil's unique pupil number (UPN)",
        "the ground for deletion and the date of deletion",
        "the new school or address, if known",
        "the name and address of each parent the pupil lives with, and an emergency telephone "
        "number",
    ),
    steps=(
        about_you_step(),
        pupil_step(),
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
                    error_required="Select yes if the pupil is subject to a school attendance "
                    "order",
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
                *forwarding_address_fields("Do you have a forwarding address for the pupil?"),
            ),
            shown_when=Not(OneOf("ground", DIED_GROUNDS)),
            intro=(
                "If the next school is not known, send the common transfer file to LA XXX, "
                "school XXXX.",
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
    ),
    requirements=(
        Requirement(
            "ground-matches-age",
            "The ground matches the pupil's age on the date of deletion",
            _ground_matches_age,
            OnFail.BLOCK,
            "The ground does not match the pupil's age on the date of deletion: grounds 1(a) "
            "to 1(o) are for pupils of compulsory school age, 3(a) to 3(e) for pupils who are "
            "not.",
            "reg 9",
            field="deletion_date",
        ),
        Requirement(
            "cme-first",
            "A child missing education notification was sent first, or there is "
            "a forwarding address",
            _cme_first,
            OnFail.BLOCK,
            "You must notify us of a potential child missing education before deleting under "
            "ground 1(g), 1(h) or 1(i), unless you have a forwarding address. Keep the pupil on "
            "roll until the authority's enquiries are complete.",
            "KSAH §22-23; DOMAIN §9",
            applies_when=OneOf("ground", CME_GROUNDS),
            field="forwarding_address_known",
            detail=_cme_detail,
        ),
        Requirement(
            "sao-1a",
            "No school attendance order names this school",
            no_to("sao_names_school"),
            OnFail.BLOCK,
            "Ground 1(a) does not apply when a school attendance order names this school.",
            "reg 9(1)(a)",
            applies_when=Equals("ground", "1a"),
            field="sao_names_school",
        ),
        Requirement(
            "consent-1c",
            "The other schools consent",
            yes_to("other_schools_consent"),
            OnFail.BLOCK,
            "Ground 1(c) needs the consent of the other schools the pupil is registered at.",
            "reg 9(1)(c)",
            applies_when=Equals("ground", "1c"),
            field="other_schools_consent",
        ),
        Requirement(
            "sao-1f",
            "The pupil is not subject to a school attendance order",
            no_to("sao_in_force"),
            OnFail.BLOCK,
            "A pupil subject to a school attendance order cannot be deleted for home education "
            "until the authority revokes the order. Email the attendance enforcement team.",
            "KSAH §23",
            applies_when=Equals("ground", "1f"),
            field="sao_in_force",
        ),
        Requirement(
            "special-school-agreement",
            "The authority agrees (special school)",
            yes_to("la_agreement"),
            OnFail.BLOCK,
            "A pupil of compulsory school age at a special school cannot be deleted from roll "
            "without the authority's agreement. Ask the SEND team first.",
            "KSAH §23, §24",
            applies_when=AllOf(Equals("ground", "1f"), SPECIAL_SCHOOL),
            field="la_agreement",
        ),
        Requirement(
            "leave-ten-school-days",
            f"The pupil has not attended in the {LEAVE_NOT_RETURNED_SCHOOL_DAYS} school days "
            "after the leave ended, and the deletion is after them",
            _leave_ten_days,
            OnFail.BLOCK,
            "Ground 1(h) is met only when the pupil has not attended within the 10 school days "
            "immediately after the end of the leave: the deletion must come after them.",
            "reg 9(1)(h); KSAH §22",
            applies_when=Equals("ground", "1h"),
            field="leave_end_date",
            detail=_leave_detail,
        ),
        Requirement(
            "continuous-absence",
            f"Continuously absent for at least {CONTINUOUS_ABSENCE_SCHOOL_DAYS} school days "
            "(G, N or O)",
            _continuous_absence,
            OnFail.BLOCK,
            "The register does not show 20 school days in a row of G, N or O up to its latest "
            "day. Any other code, including U, breaks the run.",
            "reg 9(1)(i), 9(3)(c); DOMAIN §9",
            applies_when=OneOf("ground", CONTINUOUS_GROUNDS),
            detail=_continuous_detail,
        ),
        Requirement(
            "exclusion-concluded",
            "All the exclusion processes have concluded",
            yes_to("exclusion_concluded"),
            OnFail.BLOCK,
            "A permanently excluded pupil is deleted only once all the exclusion processes have "
            "concluded and the pupil is not reinstated.",
            "KSAH §19",
            applies_when=OneOf("ground", EXCLUDED_GROUNDS),
            field="exclusion_concluded",
        ),
        Requirement(
            "exclusion-notified",
            "The permanent exclusion was notified through the Digital Front Door",
            _exclusion_notified,
            OnFail.REASON,
            "We have no notification of this pupil's permanent exclusion.",
            "KSAH §19",
            applies_when=OneOf("ground", EXCLUDED_GROUNDS),
        ),
        Requirement(
            "professionals-told",
            "The social worker, EHCP lead or carers were contacted first",
            yes_to("professionals_told"),
            OnFail.REASON,
            "The professionals involved should be contacted before a pupil known to social "
            "care, with an EHCP or in care is deleted.",
            "KSAH §22",
            applies_when=KNOWN_TO_PROFESSIONALS,
        ),
        Requirement(
            "not-backdated",
            "The return is made no later than the deletion",
            _not_backdated,
            OnFail.REASON,
            "The date of deletion is in the past: the return is due no later than the deletion.",
            "reg 13; KSAH §22, §24",
        ),
    ),
    routing=(
        RoutingRule(
            "cme",
            when=OneOf("ground", (*CME_GROUNDS, "3c")),
            why="The central CME team continues enquiries after deletion (KSAH §22); "
            "the home LA investigates a child deleted under 1(h)/1(i) (DOMAIN §1).",
        ),
        RoutingRule(
            "send",
            when=AllOf(Equals("ground", "1f"), SPECIAL_SCHOOL),
            why="A special school pupil needs the SEND team's agreement (KSAH §23).",
        ),
        RoutingRule(
            "ehe",
            when=AllOf(Equals("ground", "1f"), SPECIAL_SCHOOL),
            copy=True,
            why="The EHE team visits every home-educating family (KSAH §23).",
        ),
        RoutingRule(
            "ehe",
            when=Equals("ground", "1f"),
            why="Notice of elective home education goes to the EHE team (KSAH §23).",
        ),
        RoutingRule(
            "courts",
            when=OneOf("ground", ("1d", "1e")),
            why="School attendance orders are the Courts Team's (KSAH §15 iv).",
        ),
        RoutingRule(
            "exclusions",
            when=OneOf("ground", EXCLUDED_GROUNDS),
            officer="exclusion_adviser",
            why="Permanent exclusions: the exclusions team and the school's adviser (KSAH §19).",
        ),
        RoutingRule(
            "admissions", why="Every other ground changes where the pupil is on roll: Admissions."
        ),
        send_copy(
            "Deletion form routing also follows flags such as an EHCP (KSAH §24).",
            when=AllOf(HAS_EHCP, Not(Equals("ground", "1f"))),
        ),
        virtual_school_copy("A child in care: the Virtual School is told (KSAH §16, §22)."),
    ),
)
