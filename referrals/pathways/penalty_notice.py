"""Pathway 6: request a penalty notice (the national framework from 19 August 2024;
KSAH §15 iv, §19; DOMAIN §5).

Only signed-in staff can request one: the headteacher's authorisation must be attributable
to an account (or to a senior leader stating the head is absent), and the request is
checked against the register's threshold window, which needs the pupil's register.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kpas.roles import Role
from referrals.fields import format_date
from referrals.pathways.checks import DateOrder, NotInFuture, from_register, iso_date, no_to, yes_to
from referrals.pathways.common import (
    IN_CARE,
    parents_field,
    parents_from_register,
    pupil_details_step,
    pupil_step,
    yes_revealing,
)
from referrals.pathways.definitions import (
    AnyItem,
    Audience,
    Choice,
    Equals,
    Field,
    HasRole,
    Kind,
    Not,
    OneOf,
    OnFail,
    Pathway,
    Requirement,
    RoutingRule,
    Step,
    Subject,
)
from referrals.rules import (
    NOTICE_TO_IMPROVE_SCHOOL_DAYS,
    PUBLIC_PLACE_SCHOOL_DAYS,
    deemed_received,
    notice_to_improve_period,
    within_first_school_days,
)
from schools.calendar import england_bank_holidays
from schools.rules import PENALTY_THRESHOLD_SESSIONS

if TYPE_CHECKING:
    from referrals.engine import Context

LEAVE, UNAUTHORISED, PUBLIC_PLACE = "leave", "unauthorised", "public_place"
NATIONAL_FRAMEWORK = OneOf("scenario", (LEAVE, UNAUTHORISED))
HEADTEACHER = HasRole(Role.HEADTEACHER)
THIRD_NOTICE = AnyItem("parents", Equals("previous_notices", "2"))


def _state_funded(ctx: Context) -> bool | None:
    school = ctx.school
    if school is None:
        return None
    return school.state_funded and school.school_type != "independent"


def _below_target(facts, ctx: Context) -> bool:  # type: ignore[no-untyped-def]
    return (
        facts.attendance_rate is not None and facts.attendance_rate < facts.school.attendance_target
    )


def _attendance_detail(ctx: Context) -> str:
    facts = ctx.facts
    if facts is None or facts.attendance_rate is None:
        return ""
    return (
        f"Attendance this school year is {facts.attendance_rate}%; the school's policy "
        f"target is {facts.school.attendance_target}%."
    )


def _threshold_detail(ctx: Context) -> str:
    facts = ctx.facts
    if facts is None:
        return ""
    t = facts.threshold
    mix = ", ".join(f"{code} {n}" for code, n in t.by_code().items())
    return (
        f"{t.count} sessions of G, N, O or U from {format_date(t.window_start.isoformat())} "
        f"to {format_date(t.end.isoformat())} ({mix})."
    )


def _notice_period(ctx: Context):  # type: ignore[no-untyped-def]
    sent, facts = iso_date(ctx.answers.get("nti_sent")), ctx.facts
    delivery = ctx.answers.get("nti_delivery")
    if sent is None or facts is None or not isinstance(delivery, str):
        return None
    received = deemed_received(
        sent, delivery, england_bank_holidays(range(sent.year, sent.year + 2))
    )
    return notice_to_improve_period(facts.calendar, received)


def _notice_completed(ctx: Context) -> bool | None:
    period, facts = _notice_period(ctx), ctx.facts
    if facts is None or not ctx.answers.get("nti_sent"):
        return None
    if period is None:  # the 20 school days run past the term dates the school has
        return False
    unauthorised = [
        m
        for m in facts.codes_between(period.first_day, period.last_day)
        if m.code in ("G", "N", "O", "U")
    ]
    return period.last_day <= facts.as_of and bool(unauthorised)


def _notice_detail(ctx: Context) -> str:
    period, facts = _notice_period(ctx), ctx.facts
    if facts is None or not ctx.answers.get("nti_sent"):
        return ""
    if period is None:
        return "The 20 school days after the notice was received run past the school's term dates."
    unauthorised = [
        m
        for m in facts.codes_between(period.first_day, period.last_day)
        if m.code in ("G", "N", "O", "U")
    ]
    return (
        f"The {NOTICE_TO_IMPROVE_SCHOOL_DAYS} school day period runs from "
        f"{format_date(period.first_day.isoformat())} to "
        f"{format_date(period.last_day.isoformat())}; the register shows "
        f"{len(unauthorised)} unauthorised sessions in it."
    )


def _public_place(ctx: Context) -> bool | None:
    start, seen, facts = (
        iso_date(ctx.answers.get("exclusion_start")),
        iso_date(ctx.answers.get("seen_date")),
        ctx.facts,
    )
    if start is None or seen is None or facts is None:
        return None
    excluded = "E" in (facts.code_on(seen, "AM"), facts.code_on(seen, "PM"))
    return within_first_school_days(facts.calendar, start, seen) and excluded


def _head_authorised(ctx: Context) -> bool | None:
    if ctx.user is None:
        return False
    if ctx.user.role == Role.HEADTEACHER:
        return "yes" in (ctx.answers.get("head_authorises") or []) or None
    absent = ctx.answers.get("head_absent")
    return None if absent is None else bool(absent)


PATHWAY = Pathway(
    number=6,
    slug="penalty-notice",
    title="Request a penalty notice",
    summary="Ask the local authority to issue a penalty notice to each parent, under the "
    "national framework.",
    audiences=frozenset({Audience.SCHOOL_STAFF}),
    roles=frozenset({Role.HEADTEACHER, Role.SENIOR_ATTENDANCE_CHAMPION}),
    subject=Subject.PUPIL,
    kind_label="request",
    source="KSAH §15 iv, §19; DOMAIN §5",
    who_for=(
        "Use this form to ask the authority's Courts Team to issue a penalty notice to each "
        "parent of a pupil of compulsory school age, in one of three cases:",
        "leave of absence not authorised (G): 10 or more sessions within 10 school weeks",
        "unauthorised absence (O, U, or with G): 10 or more sessions within 10 school weeks, "
        "after a notice to improve whose 20 school day period has ended with at least one more "
        "unauthorised session",
        "the pupil was in a public place in school hours during the first 5 school days of a "
        "suspension or permanent exclusion (E)",
        "The headteacher must authorise the request, or a senior leader when the headteacher is "
        "absent. Independent schools cannot request penalty notices.",
    ),
    before_you_start=(
        "You need to be signed in: the request is checked against your school's register, and "
        "the authorisation is recorded against your account.",
        "A request cannot be sent while any session in the threshold window is still N.",
    ),
    you_need=(
        "the pupil's unique pupil number (UPN)",
        "for unauthorised absence, the date the notice to improve was sent and how",
        "the name and address of each parent",
        "how many penalty notices each parent has had for this child since 19 August 2024",
    ),
    steps=(
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
                    hint="A senior leader may authorise a request only when the headteacher is "
                    "absent",
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
                    "Has all available support been offered and been "
                    "unsuccessful or not engaged with?",
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
                    "Does your attendance policy explain the national "
                    "framework for penalty notices?",
                    kind=Kind.YES_NO,
                    shown_when=NATIONAL_FRAMEWORK,
                    error_required="Select yes if your policy explains the national framework",
                ),
            ),
        ),
    ),
    requirements=(
        Requirement(
            "state-funded",
            "The school is state funded",
            _state_funded,
            OnFail.BLOCK,
            "Independent schools cannot request penalty notices.",
            "KSAH §15 iv",
            field="upn",
        ),
        Requirement(
            "not-in-care",
            "The pupil is not in the care of a local authority",
            lambda ctx: not IN_CARE(ctx) if "pupil_flags" in ctx.answers else None,
            OnFail.BLOCK,
            "A penalty notice cannot be issued for a child in the care of a local authority.",
            "KSAH §15 iv",
            field="pupil_flags",
        ),
        Requirement(
            "head-authorised",
            "The headteacher has authorised the request, or a "
            "senior leader in the headteacher's absence",
            _head_authorised,
            OnFail.BLOCK,
            "Only the headteacher can authorise a request; a senior leader only when "
            "the headteacher is absent. Ask the headteacher to send it.",
            "KSAH §15 iv",
            field="head_absent",
        ),
        Requirement(
            "threshold",
            f"At least {PENALTY_THRESHOLD_SESSIONS} sessions of G, N, O or "
            "U within 10 school weeks",
            from_register(lambda f, c: f.threshold.met),
            OnFail.BLOCK,
            "The register does not show the national threshold: 10 "
            "sessions of unauthorised absence within 10 school weeks.",
            "DOMAIN §5; KSAH §15 iv",
            applies_when=NATIONAL_FRAMEWORK,
            detail=_threshold_detail,
        ),
        Requirement(
            "no-outstanding-n",
            "No session in the threshold window is still N",
            from_register(lambda f, c: not f.threshold.outstanding_n),
            OnFail.BLOCK,
            "A request cannot be submitted while a threshold session is still N. "
            "Replace each N with the correct code in your register and send it again.",
            "DOMAIN §5; KSAH §13",
            applies_when=NATIONAL_FRAMEWORK,
        ),
        Requirement(
            "ten-g-sessions",
            f"At least {PENALTY_THRESHOLD_SESSIONS} of the sessions are G",
            from_register(lambda f, c: f.threshold.by_code()["G"] >= PENALTY_THRESHOLD_SESSIONS),
            OnFail.BLOCK,
            "For leave of absence, at least 10 of the sessions must be recorded with code G.",
            "KSAH §15 iv",
            applies_when=Equals("scenario", LEAVE),
        ),
        Requirement(
            "compulsory-school-age",
            "The pupil was of compulsory school age for at least 10 of the threshold sessions",
            # Judged once the threshold is met: below it, the threshold itself refuses.
            from_register(
                lambda f, c: (
                    (f.threshold.compulsory_sessions >= PENALTY_THRESHOLD_SESSIONS)
                    if f.threshold.met
                    else None
                )
            ),
            OnFail.BLOCK,
            "The pupil was not of compulsory school age for 10 of the threshold sessions.",
            "KSAH §15 iv; DOMAIN §3",
            applies_when=NATIONAL_FRAMEWORK,
        ),
        Requirement(
            "no-c2",
            "No C2 (part-time timetable) in the threshold period",
            from_register(lambda f, c: f.threshold.c2_sessions == 0),
            OnFail.BLOCK,
            "The pupil must be expected to attend full time: C2 is recorded in the "
            "threshold period.",
            "KSAH §15 iv",
            applies_when=NATIONAL_FRAMEWORK,
        ),
        Requirement(
            "below-target",
            "Attendance is below the target in the school's policy",
            from_register(_below_target),
            OnFail.BLOCK,
            "The pupil's attendance is not below the target in your attendance policy.",
            "KSAH §15 iv",
            applies_when=NATIONAL_FRAMEWORK,
            detail=_attendance_detail,
        ),
        Requirement(
            "notice-to-improve",
            f"The {NOTICE_TO_IMPROVE_SCHOOL_DAYS} school day "
            "notice to improve period has ended, with at least one unauthorised "
            "session in it",
            _notice_completed,
            OnFail.BLOCK,
            "The notice to improve period has not ended, or the register shows no "
            "unauthorised session in it.",
            "KSAH §15 iv; DOMAIN §5",
            applies_when=Equals("scenario", UNAUTHORISED),
            detail=_notice_detail,
        ),
        Requirement(
            "notice-contents",
            "The notice to improve included everything required",
            yes_to("nti_contents"),
            OnFail.BLOCK,
            "The notice to improve must include everything in paragraph 188 of the guidance.",
            "KSAH §15 iv",
            applies_when=Equals("scenario", UNAUTHORISED),
            field="nti_contents",
        ),
        Requirement(
            "public-place",
            f"Seen during the first {PUBLIC_PLACE_SCHOOL_DAYS} school "
            "days of the exclusion, on a day coded E",
            _public_place,
            OnFail.BLOCK,
            "The date seen is not one of the first 5 school days of the exclusion, or "
            "the register does not show E on it.",
            "KSAH §15 iv, §19",
            applies_when=Equals("scenario", PUBLIC_PLACE),
            field="seen_date",
        ),
        Requirement(
            "dates-in-writing",
            "The parents were given the exclusion dates in writing",
            yes_to("dates_in_writing"),
            OnFail.BLOCK,
            "A notice can be issued only when the parents were told the dates in writing.",
            "KSAH §19; DOMAIN §10",
            applies_when=Equals("scenario", PUBLIC_PLACE),
            field="dates_in_writing",
        ),
        Requirement(
            "third-notice",
            "No parent has had two notices for this child in 3 school years",
            lambda ctx: not THIRD_NOTICE(ctx) if "parents" in ctx.answers else None,
            OnFail.BLOCK,
            "A third penalty notice cannot be issued within 3 school years. Speak to "
            "your KPAS officer about other legal intervention.",
            "KSAH §15 iv; DOMAIN §5",
            applies_when=Equals("scenario", UNAUTHORISED),
        ),
        Requirement(
            "third-leave",
            "No parent has had two notices for this child in 3 school years",
            lambda ctx: not THIRD_NOTICE(ctx) if "parents" in ctx.answers else None,
            OnFail.WARN,
            "A parent has had two notices: a third cannot be issued, so the case will be "
            "prosecuted under the Single Justice Procedure instead.",
            "KSAH §15 iv",
            applies_when=Equals("scenario", LEAVE),
        ),
        Requirement(
            "no-safeguarding",
            "There are no safeguarding concerns",
            no_to("safeguarding_concerns"),
            OnFail.BLOCK,
            "A penalty notice is not issued where there are safeguarding concerns. "
            "Follow your safeguarding procedures.",
            "KSAH §15 iv",
            field="safeguarding_concerns",
        ),
        Requirement(
            "no-conflict",
            "No conflict with Early Help or social care work",
            yes_to("practitioner_agrees"),
            OnFail.BLOCK,
            "A penalty notice cannot be issued where it would conflict with the family "
            "practitioner's work.",
            "KSAH §15 iv",
            applies_when=Equals("known_to_services", True),
            field="practitioner_agrees",
        ),
        Requirement(
            "support-offered",
            "All available support was offered",
            yes_to("support_offered"),
            OnFail.REASON,
            "Schools should request a penalty notice only when all available support has "
            "been provided and been unsuccessful or not engaged with.",
            "KSAH §15 iv",
            applies_when=Equals("scenario", UNAUTHORISED),
        ),
        Requirement(
            "best-tool",
            "A penalty notice is the best available tool",
            yes_to("best_tool"),
            OnFail.REASON,
            "Schools should request a penalty notice only when it is the best available "
            "tool to change the parents' behaviour.",
            "KSAH §15 iv",
            applies_when=Equals("scenario", UNAUTHORISED),
        ),
        Requirement(
            "equality",
            "Equality Act duties considered and met",
            yes_to("equality_considered"),
            OnFail.BLOCK,
            "Obligations under the Equality Act 2010 must be fully considered and met first.",
            "KSAH §15 iv",
            applies_when=NATIONAL_FRAMEWORK,
            field="equality_considered",
        ),
        Requirement(
            "policy-explains",
            "The school's attendance policy explains the framework",
            yes_to("policy_explains"),
            OnFail.BLOCK,
            "Your attendance policy must explain the national framework for penalty "
            "notices before one can be issued.",
            "KSAH §15 iv",
            applies_when=NATIONAL_FRAMEWORK,
            field="policy_explains",
        ),
    ),
    routing=(
        RoutingRule(
            "courts",
            why="Penalty notices are checked and issued by the Courts Team "
            "(KSAH §8, §15 iv). The team allocates its own casework.",
        ),
    ),
)
