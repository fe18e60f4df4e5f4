"""The deletion pathway's conditions (reg 9, reg 13; KSAH §19, §22-24; DOMAIN §9), and the
small tests over the answers and the register they rest on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from referrals.engine.definitions import AllOf, Equals, OneOf, OnFail, Requirement
from referrals.engine.fields import format_date
from referrals.facts import current_absence_run
from referrals.pathways.checks import iso_date, no_to, yes_to
from referrals.pathways.deletion.grounds import (
    CONTINUOUS_GROUNDS,
    ENQUIRIES_COMPLETE_GROUNDS,
    EXCLUDED_GROUNDS,
    FORWARDING_ADDRESS_GROUNDS,
    KNOWN_TO_PROFESSIONALS,
    SPECIAL_SCHOOL,
)
from referrals.rules import ClosingOutcome
from returns.rules import (
    CONTINUOUS_ABSENCE_SCHOOL_DAYS,
    LEAVE_NOT_RETURNED_SCHOOL_DAYS,
    leave_ground_met_on,
)
from schools.school_age import is_compulsory_school_age

if TYPE_CHECKING:
    from referrals.engine.context import Context, PriorSubmission

CME_PATHWAY = "child-missing-education"
EXCLUSION_PATHWAY = "suspension-or-exclusion"


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


def _advised(ctx: Context) -> list[PriorSubmission]:
    """CME notifications for this pupil the authority closed with deletion advised, for this
    absence: confirmed after the pupil last attended, and no later than the deletion."""
    on = iso_date(ctx.answers.get("deletion_date"))
    last = ctx.facts.last_attended if ctx.facts is not None else None
    return [
        p
        for p in ctx.prior(CME_PATHWAY)
        if p.closing_outcome == ClosingOutcome.DELETION_ADVISED
        and p.deletion_advised_on is not None
        and (last is None or p.deletion_advised_on > last)
        and (on is None or p.deletion_advised_on <= on)
    ]


def _enquiries_complete(ctx: Context) -> bool | None:
    return bool(_advised(ctx))


def _enquiries_detail(ctx: Context) -> str:
    advised = _advised(ctx)
    if not advised:
        return (
            "We have no notification of a potential child missing education for this "
            "absence that the authority has closed with deletion advised."
        )
    p = advised[-1]
    confirmed = format_date(p.deletion_advised_on.isoformat()) if p.deletion_advised_on else ""
    which = f" ({p.reference})" if p.reference else ""
    return f"Enquiries complete{which}: deletion advised on {confirmed}."


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
    return current_absence_run(facts).school_days >= CONTINUOUS_ABSENCE_SCHOOL_DAYS


def _continuous_detail(ctx: Context) -> str:
    facts = ctx.facts
    if facts is None:
        return ""
    run = current_absence_run(facts)
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


REQUIREMENTS: tuple[Requirement, ...] = (
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
        "A child missing education notification was sent first, or there is a forwarding address",
        _cme_first,
        OnFail.BLOCK,
        "You must notify us of a potential child missing education before deleting under "
        "ground 1(g), unless you have a forwarding address. Keep the pupil on roll until the "
        "authority's enquiries are complete.",
        "KSAH §22-23; DOMAIN §9",
        applies_when=OneOf("ground", FORWARDING_ADDRESS_GROUNDS),
        field="forwarding_address_known",
        detail=_cme_detail,
    ),
    Requirement(
        "cme-enquiries-complete",
        "The authority closed its child missing education enquiries for this absence with "
        "deletion advised",
        _enquiries_complete,
        OnFail.BLOCK,
        "Under ground 1(h), 1(i) or 3(c) the pupil stays on roll until the authority's "
        "child missing education enquiries, made jointly with the school, are complete and "
        "it has advised deletion, even when you have a forwarding address. Notify us of a "
        "potential child missing education if you have not.",
        "reg 9(1)(h), 9(1)(i), 9(3)(c); KSAH §22-23; DOMAIN §9",
        applies_when=OneOf("ground", ENQUIRIES_COMPLETE_GROUNDS),
        detail=_enquiries_detail,
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
)
