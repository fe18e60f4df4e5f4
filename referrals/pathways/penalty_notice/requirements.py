"""The penalty notice pathway's conditions: the national framework's "will only be issued
where" (block), "should only request if" (reason) and the third leave case (warning), and the
small tests over the answers and the register they rest on (docs/dfd.md, decision 2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from penalties.rules import (
    CASE_SESSIONS,
    NOTICE_TO_IMPROVE_SCHOOL_DAYS,
    PUBLIC_PLACE_SCHOOL_DAYS,
)
from referrals.engine.definitions import AllOf, Equals, OnFail, Requirement
from referrals.pathways.checks import (
    codes_fit_age_requirement,
    from_register,
    no_to,
    yes_to,
)
from referrals.pathways.common import IN_CARE
from referrals.pathways.penalty_notice.cases import (
    LEAVE,
    NATIONAL_FRAMEWORK,
    PUBLIC_PLACE,
    THIRD_NOTICE,
    UNAUTHORISED,
)

if TYPE_CHECKING:
    pass


from referrals.pathways.penalty_notice.conditions import (
    a_parent_may_get_a_notice,
    attendance_detail,
    below_target,
    escalation_detail,
    head_authorised,
    leave_case,
    leave_detail,
    none_at_the_limit,
    notice_completed,
    notice_detail,
    public_place,
    state_funded,
    threshold_detail,
    unauthorised_case,
)

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        "state-funded",
        "The school is state funded",
        state_funded,
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
        head_authorised,
        OnFail.BLOCK,
        "Only the headteacher can authorise a request; a senior leader only when "
        "the headteacher is absent. Ask the headteacher to send it.",
        "KSAH §15 iv",
        field="head_absent",
    ),
    Requirement(
        "threshold",
        f"At least {CASE_SESSIONS} sessions of G, N, O or U within 10 school weeks",
        from_register(lambda f, c: f.threshold.met),
        OnFail.BLOCK,
        "The register does not show the national threshold: 10 "
        "sessions of unauthorised absence within 10 school weeks.",
        "DOMAIN §5; KSAH §15 iv",
        applies_when=NATIONAL_FRAMEWORK,
        detail=threshold_detail,
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
        f"At least {CASE_SESSIONS} sessions of G within the leave dates, while the pupil was "
        "of compulsory school age",
        leave_case,
        OnFail.BLOCK,
        "For leave of absence, the register must show at least 10 sessions of G between the "
        "leave dates you gave, while the pupil was of compulsory school age.",
        'DOMAIN §5 "Precise counting"; KSAH §15 iv',
        applies_when=Equals("scenario", LEAVE),
        detail=leave_detail,
    ),
    Requirement(
        "compulsory-school-age",
        "The pupil was of compulsory school age for at least 10 of the threshold sessions",
        unauthorised_case,
        OnFail.BLOCK,
        "The pupil was not of compulsory school age for 10 of the threshold sessions.",
        'DOMAIN §3, §5 "Precise counting"; KSAH §15 iv',
        applies_when=Equals("scenario", UNAUTHORISED),
    ),
    Requirement(
        "no-c2",
        "No C2 (part-time timetable) in the threshold period",
        from_register(lambda f, c: f.threshold.c2_sessions == 0),
        OnFail.BLOCK,
        "The pupil must be expected to attend full time: C2 is recorded in the threshold period.",
        "KSAH §15 iv",
        applies_when=NATIONAL_FRAMEWORK,
    ),
    Requirement(
        "below-target",
        "Attendance is below the target in the school's policy",
        from_register(below_target),
        OnFail.BLOCK,
        "The pupil's attendance is not below the target in your attendance policy.",
        "KSAH §15 iv",
        applies_when=NATIONAL_FRAMEWORK,
        detail=attendance_detail,
    ),
    Requirement(
        "notice-to-improve",
        f"The {NOTICE_TO_IMPROVE_SCHOOL_DAYS} school day "
        "notice to improve period has ended, with at least one unauthorised "
        "session in it",
        notice_completed,
        OnFail.BLOCK,
        "The notice to improve period has not ended, or the register shows no "
        "unauthorised session in it.",
        "KSAH §15 iv; DOMAIN §5",
        applies_when=Equals("scenario", UNAUTHORISED),
        detail=notice_detail,
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
        "days of the exclusion, on a day coded E, while of compulsory school age",
        public_place,
        OnFail.BLOCK,
        "The date seen is not one of the first 5 school days of the exclusion, the "
        "register does not show E on it, or the pupil was not of compulsory school age "
        "that day.",
        "EIA06 s.103; KSAH §15 iv, §19; DOMAIN §5",
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
        "At least one parent has not had two notices for this child in 3 school years",
        a_parent_may_get_a_notice,
        OnFail.BLOCK,
        "Every parent has had two notices for this child: a third cannot be issued. Speak "
        "to your KPAS officer about other legal intervention.",
        'KSAH §15 iv; DOMAIN §5 "Escalation window"',
        applies_when=Equals("scenario", UNAUTHORISED),
        detail=escalation_detail,
    ),
    Requirement(
        "third-leave",
        "No parent has had two notices for this child in 3 school years",
        none_at_the_limit,
        OnFail.WARN,
        "A parent has had two notices: no third is issued to them, so their case will be "
        "prosecuted under the Single Justice Procedure instead; the request goes ahead for "
        "the other parents.",
        'KSAH §15 iv; DOMAIN §5 "Escalation window"',
        applies_when=Equals("scenario", LEAVE),
        detail=escalation_detail,
    ),
    Requirement(
        "parent-at-limit",
        "No parent has had two notices for this child in 3 school years",
        none_at_the_limit,
        OnFail.WARN,
        "A parent has had two notices: no notice is issued to them and they are marked "
        "for other legal intervention; the request goes ahead for the other parents.",
        'KSAH §15 iv; DOMAIN §5 "Escalation window"',
        applies_when=AllOf(Equals("scenario", UNAUTHORISED), THIRD_NOTICE),
        detail=escalation_detail,
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
    codes_fit_age_requirement(),
)
