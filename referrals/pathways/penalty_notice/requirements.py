"""The penalty notice pathway's conditions: the national framework's "will only be issued
where" (block), "should only request if" (reason) and the third leave case (warning), and the
small tests over the answers and the register they rest on (docs/dfd.md, decision 2)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from kpas.base.roles import Role
from penalties.rules import (
    CASE_SESSIONS,
    NOTICE_TO_IMPROVE_SCHOOL_DAYS,
    PUBLIC_PLACE_SCHOOL_DAYS,
    Escalation,
    deemed_received,
    escalation_for,
    leave_case_sessions,
    notice_to_improve_period,
    other_intervention,
    public_place_case,
    unauthorised_case_sessions,
)
from referrals.engine.definitions import AllOf, Equals, OnFail, Requirement
from referrals.engine.fields import format_date
from referrals.pathways.checks import (
    codes_fit_age_requirement,
    from_register,
    iso_date,
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
from schools.calendar import england_bank_holidays
from schools.rules import below_attendance_target

if TYPE_CHECKING:
    from referrals.engine.context import Context


def _state_funded(ctx: Context) -> bool | None:
    school = ctx.school
    if school is None:
        return None
    return school.state_funded and school.school_type != "independent"


def _dob(ctx: Context) -> date | None:
    if ctx.pupil is not None:
        return ctx.pupil.date_of_birth
    return iso_date(ctx.answers.get("pupil_dob"))


def _below_target(facts, ctx: Context) -> bool:  # type: ignore[no-untyped-def]
    # Exactly, never after rounding the rate (issue 10 item 9; DOMAIN §5): 89.995% shows as
    # 90.00% but is below a 90% target.
    return below_attendance_target(
        attendance=facts.present, possible=facts.possible, target=facts.school.attendance_target
    )


def _leave_sessions(ctx: Context) -> int | None:
    facts, dob = ctx.facts, _dob(ctx)
    start, end = iso_date(ctx.answers.get("leave_from")), iso_date(ctx.answers.get("leave_to"))
    if facts is None or dob is None or start is None or end is None:
        return None
    return leave_case_sessions(facts.marks, dob=dob, leave_from=start, leave_to=end)


def _leave_case(ctx: Context) -> bool | None:
    count = _leave_sessions(ctx)
    return None if count is None else count >= CASE_SESSIONS


def _leave_detail(ctx: Context) -> str:
    count = _leave_sessions(ctx)
    if count is None:
        return ""
    return (
        f"The register shows {count} sessions of G between the leave dates while the pupil "
        "was of compulsory school age."
    )


def _unauthorised_case(ctx: Context) -> bool | None:
    facts, dob = ctx.facts, _dob(ctx)
    if facts is None or dob is None:
        return None
    if not facts.threshold.met:  # below it, the threshold itself refuses
        return None
    return unauthorised_case_sessions(facts.threshold.sessions, dob=dob) >= CASE_SESSIONS


def _escalations(ctx: Context) -> list[tuple[str, Escalation]]:
    rows = ctx.answers.get("parents")
    if not isinstance(rows, list):
        return []
    out = []
    for index, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            continue
        try:
            previous = int(row.get("previous_notices") or 0)
        except (TypeError, ValueError):
            previous = 0
        out.append((str(row.get("name") or f"Parent {index}"), escalation_for(previous)))
    return out


def _a_parent_may_get_a_notice(ctx: Context) -> bool | None:
    """Escalation is per parent: the request fails only when no parent may get one."""
    found = _escalations(ctx)
    if not found:
        return None
    return any(level != Escalation.NO_NOTICE for _, level in found)


def _none_at_the_limit(ctx: Context) -> bool | None:
    found = _escalations(ctx)
    return None if not found else all(level != Escalation.NO_NOTICE for _, level in found)


def _escalation_detail(ctx: Context) -> str:
    at_limit = [name for name, level in _escalations(ctx) if level == Escalation.NO_NOTICE]
    if not at_limit:
        return ""
    action = other_intervention(str(ctx.answers.get("scenario") or ""))
    return f"No notice for {', '.join(at_limit)}: marked for {action}."


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
    start, seen, facts, dob = (
        iso_date(ctx.answers.get("exclusion_start")),
        iso_date(ctx.answers.get("seen_date")),
        ctx.facts,
        _dob(ctx),
    )
    if start is None or seen is None or facts is None or dob is None:
        return None
    return public_place_case(
        facts.calendar,
        dob=dob,
        exclusion_start=start,
        seen=seen,
        codes_on_seen=(facts.code_on(seen, "AM"), facts.code_on(seen, "PM")),
    ).met


def _head_authorised(ctx: Context) -> bool | None:
    if ctx.user is None:
        return False
    if ctx.user.role == Role.HEADTEACHER:
        return "yes" in (ctx.answers.get("head_authorises") or []) or None
    absent = ctx.answers.get("head_absent")
    return None if absent is None else bool(absent)


REQUIREMENTS: tuple[Requirement, ...] = (
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
        f"At least {CASE_SESSIONS} sessions of G, N, O or U within 10 school weeks",
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
        f"At least {CASE_SESSIONS} sessions of G within the leave dates, while the pupil was "
        "of compulsory school age",
        _leave_case,
        OnFail.BLOCK,
        "For leave of absence, the register must show at least 10 sessions of G between the "
        "leave dates you gave, while the pupil was of compulsory school age.",
        'DOMAIN §5 "Precise counting"; KSAH §15 iv',
        applies_when=Equals("scenario", LEAVE),
        detail=_leave_detail,
    ),
    Requirement(
        "compulsory-school-age",
        "The pupil was of compulsory school age for at least 10 of the threshold sessions",
        _unauthorised_case,
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
        "days of the exclusion, on a day coded E, while of compulsory school age",
        _public_place,
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
        _a_parent_may_get_a_notice,
        OnFail.BLOCK,
        "Every parent has had two notices for this child: a third cannot be issued. Speak "
        "to your KPAS officer about other legal intervention.",
        'KSAH §15 iv; DOMAIN §5 "Escalation window"',
        applies_when=Equals("scenario", UNAUTHORISED),
        detail=_escalation_detail,
    ),
    Requirement(
        "third-leave",
        "No parent has had two notices for this child in 3 school years",
        _none_at_the_limit,
        OnFail.WARN,
        "A parent has had two notices: no third is issued to them, so their case will be "
        "prosecuted under the Single Justice Procedure instead; the request goes ahead for "
        "the other parents.",
        'KSAH §15 iv; DOMAIN §5 "Escalation window"',
        applies_when=Equals("scenario", LEAVE),
        detail=_escalation_detail,
    ),
    Requirement(
        "parent-at-limit",
        "No parent has had two notices for this child in 3 school years",
        _none_at_the_limit,
        OnFail.WARN,
        "A parent has had two notices: no notice is issued to them and they are marked "
        "for other legal intervention; the request goes ahead for the other parents.",
        'KSAH §15 iv; DOMAIN §5 "Escalation window"',
        applies_when=AllOf(Equals("scenario", UNAUTHORISED), THIRD_NOTICE),
        detail=_escalation_detail,
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
