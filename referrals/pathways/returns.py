"""Pathway 3: notify of an attendance or sickness return, several pupils on one form
(reg 13; KSAH §24; DOMAIN §8).

Signed-in schools start from the pupils the nightly evaluation found meeting the criteria
(open attendance_return / sickness_return alerts not yet in a return).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from referrals.engine.definitions import (
    ANONYMOUS,
    SIGNED_IN,
    AnyItem,
    Audience,
    Choice,
    Field,
    Includes,
    Kind,
    Pathway,
    RoutingRule,
    Step,
    Subject,
)
from referrals.engine.fields import format_date
from referrals.pathways.checks import DateOrder, NotInFuture
from referrals.pathways.common import about_you_step, school_step

if TYPE_CHECKING:
    from referrals.engine.context import Context

ATTENDANCE = "attendance"
SICKNESS = "sickness"
RETURN_FLAGS = (
    Choice("in_care", "Child in care"),
    Choice("ehcp", "Has an EHCP"),
    Choice("cp_plan", "Subject to a child protection plan"),
    Choice("none", "None of these", exclusive=True),
)


def candidate_choices(ctx: Context) -> tuple[Choice, ...]:
    """Pupils whose register meets a return's criteria and who are not in a return yet."""
    if ctx.lookups is None or ctx.school is None or ctx.user is None:
        return ()
    return tuple(
        Choice(candidate["value"], candidate["label"], hint=candidate["hint"])
        for candidate in ctx.lookups.return_candidates(ctx.school)
    )


def candidates_to_rows(ctx: Context, values: dict[str, Any]) -> dict[str, Any]:
    """The chosen candidates become rows of the pupils list (once each)."""
    chosen = values.get("candidates") or []
    if not chosen or ctx.lookups is None or ctx.school is None:
        return {}
    rows = list(ctx.answers.get("pupils") or [])
    upns = {row.get("upn") for row in rows}
    for candidate in ctx.lookups.return_candidates(ctx.school):  # type: ignore[attr-defined]
        if candidate["value"] in chosen and candidate["row"]["upn"] not in upns:
            rows.append(dict(candidate["row"]))
            upns.add(candidate["row"]["upn"])
    return {"pupils": rows}


def alert_candidate_row(alert: Any, pupil: Any, codes: list[str]) -> dict[str, Any]:
    """A pupils-list row from an open alert (schools.models.Alert) and the codes the
    register holds for the run it found."""
    details = alert.details or {}
    sickness = alert.kind == "sickness_return"
    flags = [
        flag for flag, on in (("in_care", pupil.child_in_care), ("ehcp", pupil.ehcp)) if on
    ] or ["none"]
    row: dict[str, Any] = {
        "upn": pupil.upn,
        "return_type": SICKNESS if sickness else ATTENDANCE,
        "absence_from": details.get("from") or alert.raised_on.isoformat(),
        "flags": flags,
        "_pupil_id": pupil.pk,
        "_name": pupil.display_name,
        "_alert": alert.pk,
    }
    if not sickness:
        row["absence_to"] = details.get("to")
        row["codes"] = [code for code in ("G", "N", "O", "U") if code in codes] or None
    else:
        row["sickness_basis"] = "consecutive" if str(alert.key).startswith("run:") else "total"
    return {k: v for k, v in row.items() if v not in (None, "")}


def alert_candidate_hint(alert: Any) -> str:
    details = alert.details or {}
    if alert.kind == "sickness_return":
        if "consecutive_school_days" in details:
            return (
                f"Sickness: {details['consecutive_school_days']} consecutive school days "
                f"of illness from {format_date(details.get('from', ''))}"
            )
        return (
            f"Sickness: {details.get('illness_school_days', '')} school days of illness this year"
        )
    return (
        f"Attendance: absent {details.get('school_days', '')} school days in a row from "
        f"{format_date(details.get('from', ''))} to {format_date(details.get('to', ''))}"
    )


PUPIL_FIELDS = (
    Field(
        "upn",
        "UPN",
        kind=Kind.PUPIL,
        width="govuk-input--width-20",
        error_required="Enter the pupil's UPN",
    ),
    Field(
        "forename",
        "Legal first name",
        shown_when=ANONYMOUS,
        max_length=100,
        error_required="Enter the pupil's first name",
    ),
    Field(
        "surname",
        "Legal last name",
        shown_when=ANONYMOUS,
        max_length=100,
        error_required="Enter the pupil's last name",
    ),
    Field(
        "address",
        "Home address",
        kind=Kind.TEXTAREA,
        shown_when=ANONYMOUS,
        max_length=400,
        error_required="Enter the pupil's home address",
    ),
    Field(
        "return_type",
        "Kind of return",
        kind=Kind.RADIOS,
        choices=(
            Choice(
                ATTENDANCE,
                "Attendance return",
                reveals=("codes",),
                hint="Absent for at least 10 school days in a row with G, N, O or U",
            ),
            Choice(
                SICKNESS,
                "Sickness return",
                reveals=("sickness_basis",),
                hint="Absent through illness (I) for 15 school days in a row or in total",
            ),
        ),
        error_required="Select the kind of return",
    ),
    Field(
        "absence_from",
        "First day of the absence",
        kind=Kind.DATE,
        error_required="Enter the first day of the absence",
        validators=(NotInFuture("The first day of the absence must be today or in the past"),),
    ),
    Field(
        "absence_to",
        "Last day of the absence",
        kind=Kind.DATE,
        required=False,
        hint="Leave blank if the pupil is still absent",
    ),
    Field(
        "codes",
        "Codes recorded",
        kind=Kind.CHECKBOXES,
        choices=(
            Choice("G", "G: holiday not authorised"),
            Choice("N", "N: reason not yet established"),
            Choice("O", "O: other unauthorised absence"),
            Choice("U", "U: arrived after the register closed"),
        ),
        error_required="Select the codes recorded",
    ),
    Field(
        "sickness_basis",
        "Which applies?",
        kind=Kind.RADIOS,
        choices=(
            Choice("consecutive", "Expected to miss at least 15 school days in a row"),
            Choice("total", "At least 15 school days of illness this school year in total"),
        ),
        error_required="Select which applies",
    ),
    Field(
        "flags",
        "Which of these apply?",
        kind=Kind.CHECKBOXES,
        choices=RETURN_FLAGS,
        error_required="Select which of these apply, or none of these",
    ),
)

PATHWAY = Pathway(
    number=3,
    slug="attendance-or-sickness-return",
    title="Notify us of an attendance or sickness return",
    summary="Make the statutory attendance and sickness returns, several pupils on one form.",
    audiences=frozenset({Audience.SCHOOL_STAFF, Audience.ANONYMOUS}),
    subject=Subject.PUPILS,
    kind_label="return",
    source="reg 13; KSAH §24",
    who_for=(
        "Use this form for the returns regulation 13 requires, for pupils of compulsory school "
        "age:",
        "an attendance return for each pupil absent for a continuous period of at least 10 "
        "school days with G, N, O or U; Kent asks for these within 10 school days of the start "
        "of the next term",
        "a sickness return for each pupil you believe will miss 15 school days in a row through "
        "illness (send it without delay) or who has missed 15 school days in total this school "
        "year (within 10 school days of the next term)",
        "You can include several pupils on one form. A return is still needed when you also "
        "request a penalty notice or notify us of a child missing education.",
    ),
    you_need=(
        "each pupil's unique pupil number (UPN)",
        "the dates of each absence and the codes recorded",
        "whether each pupil is in care, has an EHCP or a child protection plan",
    ),
    steps=(
        about_you_step(),
        school_step(),
        Step(
            "candidates",
            "Pupils who meet the criteria",
            (
                Field(
                    "candidates",
                    "Which pupils do you want to include?",
                    kind=Kind.CHECKBOXES,
                    choices_from=candidate_choices,
                    required=False,
                    hint="From your register: pupils who meet a return's criteria and are not in "
                    "a return yet. You can add other pupils on the next page",
                    summary_label="Chosen from the register",
                ),
            ),
            shown_when=SIGNED_IN,
            on_save=candidates_to_rows,
        ),
        Step(
            "pupils",
            "Pupils in this return",
            (
                Field(
                    "pupils",
                    "Pupils",
                    kind=Kind.GROUP,
                    item_label="Pupil",
                    min_items=1,
                    max_items=40,
                    carry=("_alert",),
                    fields=PUPIL_FIELDS,
                    error_required="Add at least one pupil",
                    item_checks=(
                        DateOrder(
                            "absence_from",
                            "absence_to",
                            "The last day of the absence must be the same as or "
                            "after the first day",
                        ),
                    ),
                ),
            ),
            intro=("Add each pupil this return is about. Use Add another pupil for more.",),
        ),
    ),
    routing=(
        RoutingRule(
            "area_attendance",
            by_area=True,
            officer="attendance_officer",
            why="KPAS triages returns to see whether any action is needed (KSAH §24); "
            "the area team for the school's district, to its linked officer.",
        ),
        RoutingRule(
            "virtual_school",
            copy=True,
            when=AnyItem("pupils", Includes("flags", "in_care")),
            why="Children in care: the Virtual School is told (KSAH §16).",
        ),
    ),
)
