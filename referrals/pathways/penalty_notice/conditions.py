"""The penalty notice pathway's conditions as tests over the answers and the register, and
the figures behind each outcome; the declarations are in `requirements.py`."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from kpas.base.roles import Role
from penalties.rules import (
    CASE_SESSIONS,
    NOTICE_TO_IMPROVE_SCHOOL_DAYS,
    Escalation,
    deemed_received,
    escalation_for,
    leave_case_sessions,
    notice_to_improve_period,
    other_intervention,
    public_place_case,
    unauthorised_case_sessions,
)
from referrals.engine.fields import format_date
from referrals.pathways.checks import (
    iso_date,
)
from schools.calendar import england_bank_holidays
from schools.rules import below_attendance_target

if TYPE_CHECKING:
    from referrals.engine.context import Context


def state_funded(ctx: Context) -> bool | None:
    school = ctx.school
    if school is None:
        return None
    return school.state_funded and school.school_type != "independent"


def _dob(ctx: Context) -> date | None:
    if ctx.pupil is not None:
        return ctx.pupil.date_of_birth
    return iso_date(ctx.answers.get("pupil_dob"))


def below_target(facts, ctx: Context) -> bool:  # type: ignore[no-untyped-def]
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


def leave_case(ctx: Context) -> bool | None:
    count = _leave_sessions(ctx)
    return None if count is None else count >= CASE_SESSIONS


def leave_detail(ctx: Context) -> str:
    count = _leave_sessions(ctx)
    if count is None:
        return ""
    return (
        f"The register shows {count} sessions of G between the leave dates while the pupil "
        "was of compulsory school age."
    )


def unauthorised_case(ctx: Context) -> bool | None:
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


def a_parent_may_get_a_notice(ctx: Context) -> bool | None:
    """Escalation is per parent: the request fails only when no parent may get one."""
    found = _escalations(ctx)
    if not found:
        return None
    return any(level != Escalation.NO_NOTICE for _, level in found)


def none_at_the_limit(ctx: Context) -> bool | None:
    found = _escalations(ctx)
    return None if not found else all(level != Escalation.NO_NOTICE for _, level in found)


def escalation_detail(ctx: Context) -> str:
    at_limit = [name for name, level in _escalations(ctx) if level == Escalation.NO_NOTICE]
    if not at_limit:
        return ""
    action = other_intervention(str(ctx.answers.get("scenario") or ""))
    return f"No notice for {', '.join(at_limit)}: marked for {action}."


def attendance_detail(ctx: Context) -> str:
    facts = ctx.facts
    if facts is None or facts.attendance_rate is None:
        return ""
    return (
        f"Attendance this school year is {facts.attendance_rate}%; the school's policy "
        f"target is {facts.school.attendance_target}%."
    )


def threshold_detail(ctx: Context) -> str:
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


def notice_completed(ctx: Context) -> bool | None:
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


def notice_detail(ctx: Context) -> str:
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


def public_place(ctx: Context) -> bool | None:
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


def head_authorised(ctx: Context) -> bool | None:
    if ctx.user is None:
        return False
    if ctx.user.role == Role.HEADTEACHER:
        return "yes" in (ctx.answers.get("head_authorises") or []) or None
    absent = ctx.answers.get("head_absent")
    return None if absent is None else bool(absent)
