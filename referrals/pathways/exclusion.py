"""Pathway 1: notify of a suspension or permanent exclusion (KSAH §19; DOMAIN §10)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from referrals.engine.definitions import (
    AllOf,
    AnyOf,
    Audience,
    Choice,
    Equals,
    Field,
    Kind,
    OneOf,
    OnFail,
    Pathway,
    Requirement,
    RoutingRule,
    Step,
    Subject,
)
from referrals.engine.fields import format_date
from referrals.pathway_rules import (
    Suspension,
    back_to_back_sessions,
    day_six_provision_needed,
)
from referrals.pathways.checks import DateOrder, NotInFuture, iso_date, yes_to
from referrals.pathways.common import (
    CP_PLAN,
    HAS_EHCP,
    HAS_SOCIAL_WORKER,
    IN_CARE,
    about_you_step,
    pupil_details_step,
    pupil_step,
    send_copy,
    virtual_school_copy,
)

if TYPE_CHECKING:
    from referrals.engine.context import Context

MAX_SUSPENSION_SCHOOL_DAYS = 45  # per pupil per school year (DOMAIN §10)

# The DfE's reasons for a suspension or permanent exclusion (school census, from 2020/21).
REASON_CATEGORIES = (
    Choice("PP", "Physical assault against a pupil"),
    Choice("PA", "Physical assault against an adult"),
    Choice("VP", "Verbal abuse or threatening behaviour against a pupil"),
    Choice("VA", "Verbal abuse or threatening behaviour against an adult"),
    Choice("OW", "Use or threat of use of an offensive weapon or prohibited item"),
    Choice("BU", "Bullying"),
    Choice("RA", "Racist abuse"),
    Choice("LG", "Abuse against sexual orientation and gender identity"),
    Choice("DS", "Abuse relating to disability"),
    Choice("SM", "Sexual misconduct"),
    Choice("DA", "Drug and alcohol related"),
    Choice("DM", "Damage"),
    Choice("TH", "Theft"),
    Choice("MT", "Inappropriate use of social media or online technology"),
    Choice(
        "PH",
        "Wilful and repeated transgression of protective measures in place to "
        "protect public health",
    ),
    Choice("DB", "Persistent or general disruptive behaviour"),
)

PERMANENT = Equals("exclusion_type", "permanent")
SUSPENSION = OneOf("exclusion_type", ("suspension", "lunchtime"))
EXCLUSION_PATHWAY = "suspension-or-exclusion"


def _notified_suspensions(ctx: Context) -> list[Suspension]:
    found = []
    for prior in ctx.prior(EXCLUSION_PATHWAY):
        answers = prior.answers
        start, end = iso_date(answers.get("start_date")), iso_date(answers.get("end_date"))
        sessions = answers.get("sessions")
        suspended = answers.get("exclusion_type") in ("suspension", "lunchtime")
        if suspended and start and end and isinstance(sessions, int):
            found.append(Suspension(start, end, sessions))
    return found


def _register_run_before(ctx: Context, start: date) -> list[Suspension]:
    """The register's run of E sessions that ends on the school day before `start`."""
    facts, calendar = ctx.facts, ctx.calendar
    if facts is None or calendar is None:
        return []
    days = [d for d in reversed(calendar.school_days_between(date.min, start)) if d < start]
    sessions, first = 0, None
    for day in days:
        for session in ("PM", "AM"):
            if facts.code_on(day, session) != "E":
                return [Suspension(first, days[0], sessions)] if first is not None else []
            sessions, first = sessions + 1, day
    return [Suspension(first, days[0], sessions)] if first is not None else []


@dataclass(frozen=True)
class BackToBack:
    """This suspension, with the suspensions that run back to back into it (notified to us
    or on the register), is longer than 5 school days (KSAH §19; DOMAIN §10)."""

    def __call__(self, ctx: Context) -> bool:
        sessions, start = ctx.answers.get("sessions"), iso_date(ctx.answers.get("start_date"))
        if not isinstance(sessions, int):
            return False
        earlier = 0
        calendar = ctx.calendar
        if start is not None and calendar is not None:
            earlier = max(
                back_to_back_sessions(calendar, start=start, earlier=_notified_suspensions(ctx)),
                back_to_back_sessions(
                    calendar, start=start, earlier=_register_run_before(ctx, start)
                ),
            )
        return day_six_provision_needed(sessions, earlier)

    def describe(self) -> str:
        return "with back-to-back suspensions, more than 5 school days"


DAY_SIX_NEEDED = AnyOf(PERMANENT, BackToBack())


def _suspension_days_this_year(ctx: Context) -> bool | None:
    facts = ctx.facts
    sessions = ctx.answers.get("sessions")
    if facts is None or not isinstance(sessions, int):
        return None
    return (facts.exclusion_sessions + sessions) / 2 <= MAX_SUSPENSION_SCHOOL_DAYS


def _suspension_days_detail(ctx: Context) -> str:
    facts = ctx.facts
    if facts is None:
        return ""
    return (
        f"The register shows {facts.exclusion_sessions} sessions coded E this school "
        f"year to {format_date(facts.as_of.isoformat())}."
    )


PATHWAY = Pathway(
    number=1,
    slug="suspension-or-exclusion",
    title="Notify us of a suspension or permanent exclusion",
    summary="Tell the local authority about a suspension or permanent exclusion, without delay.",
    audiences=frozenset({Audience.SCHOOL_STAFF, Audience.ANONYMOUS}),
    subject=Subject.PUPIL,
    kind_label="notification",
    source="KSAH §19; DOMAIN §10",
    who_for=(
        "Use this form to tell the local authority about every suspension (including a "
        "lunchtime suspension) and every permanent exclusion, without delay.",
        "Notifications go on the authority's exclusions database and to your school's "
        "exclusion intervention adviser.",
    ),
    you_need=(
        "the pupil's unique pupil number (UPN)",
        "the dates of the suspension or exclusion and the sessions the pupil will miss",
        "the reason, using the Department for Education's categories",
        "what provision is in place from the sixth school day",
        "whether the pupil's social worker or the Virtual School has been told",
    ),
    steps=(
        about_you_step(),
        pupil_step(),
        pupil_details_step(),
        Step(
            "type",
            "What kind of exclusion is it?",
            (
                Field(
                    "exclusion_type",
                    "What kind of exclusion is it?",
                    kind=Kind.RADIOS,
                    choices=(
                        Choice(
                            "suspension", "Suspension", hint="For a fixed number of school days"
                        ),
                        Choice(
                            "lunchtime",
                            "Lunchtime suspension",
                            hint="Each lunchtime counts as half a school day",
                        ),
                        Choice("permanent", "Permanent exclusion"),
                    ),
                    error_required="Select the kind of exclusion",
                    summary_label="Kind",
                ),
            ),
        ),
        Step(
            "dates",
            "Dates and sessions",
            (
                Field(
                    "decision_date",
                    "Date the headteacher decided",
                    kind=Kind.DATE,
                    hint="For example, 17 11 2026",
                    error_required="Enter the date the headteacher decided",
                    validators=(
                        NotInFuture(
                            "The date the headteacher decided must be today or in the past"
                        ),
                    ),
                ),
                Field(
                    "start_date",
                    "First day the pupil is excluded",
                    kind=Kind.DATE,
                    error_required="Enter the first day the pupil is excluded",
                ),
                Field(
                    "end_date",
                    "Last day of the suspension",
                    kind=Kind.DATE,
                    shown_when=SUSPENSION,
                    error_required="Enter the last day of the suspension",
                ),
                Field(
                    "sessions",
                    "How many school sessions will the pupil miss?",
                    kind=Kind.INTEGER,
                    hint="2 sessions for each school day; 1 for each lunchtime",
                    shown_when=SUSPENSION,
                    min_value=1,
                    max_value=90,
                    width="govuk-input--width-3",
                    error_required="Enter how many sessions the pupil will miss",
                    summary_label="Sessions missed",
                ),
                Field(
                    "parents_told_date",
                    "Date the parents were told in writing",
                    kind=Kind.DATE,
                    error_required="Enter the date the parents were told in writing",
                    validators=(
                        NotInFuture("The date the parents were told must be today or in the past"),
                    ),
                ),
            ),
            checks=(
                DateOrder(
                    "start_date",
                    "end_date",
                    "The last day of the suspension must be the same as or after the first day",
                ),
                DateOrder(
                    "decision_date",
                    "start_date",
                    "The first day excluded must be the same as or after the decision",
                ),
            ),
        ),
        Step(
            "reason",
            "Why was the pupil excluded?",
            (
                Field(
                    "reason_category",
                    "Reason",
                    kind=Kind.SELECT,
                    choices=REASON_CATEGORIES,
                    hint="The Department for Education's categories",
                    error_required="Select the reason for the exclusion",
                ),
                Field(
                    "reason_detail",
                    "What happened?",
                    kind=Kind.TEXTAREA,
                    max_length=3000,
                    error_required="Describe what happened",
                ),
                Field(
                    "public_exam",
                    "Will the pupil miss a public examination or national curriculum test?",
                    kind=Kind.YES_NO,
                    error_required="Select yes if the pupil will miss a public examination",
                    summary_label="Misses a public exam",
                ),
            ),
        ),
        Step(
            "day-six",
            "Provision from the sixth school day",
            (
                Field(
                    "day6_arranged_by",
                    "Who is arranging education from the sixth school day?",
                    kind=Kind.RADIOS,
                    choices=(
                        Choice("school", "The school"),
                        Choice(
                            "la",
                            "The local authority",
                            hint="Primary pupils who are permanently excluded",
                        ),
                        Choice(
                            "commissioned",
                            "A commissioned secondary school or PRU",
                            hint="Secondary pupils who are permanently excluded",
                        ),
                    ),
                    error_required="Select who is arranging provision from day 6",
                    summary_label="Arranged by",
                ),
                Field(
                    "day6_detail",
                    "What is the provision and where?",
                    kind=Kind.TEXTAREA,
                    max_length=2000,
                    error_required="Describe the provision from day 6",
                    summary_label="Provision",
                ),
            ),
            shown_when=DAY_SIX_NEEDED,
            intro=(
                "Education must be arranged from the sixth school day of a suspension, or of "
                "consecutive suspensions, longer than 5 school days, and of a permanent exclusion.",
            ),
        ),
        Step(
            "professionals",
            "Who else has been told?",
            (
                Field(
                    "social_worker_told",
                    "Has the pupil's social worker been told?",
                    kind=Kind.YES_NO,
                    shown_when=AnyOf(HAS_SOCIAL_WORKER, CP_PLAN),
                    error_required="Select yes if the social worker has been told",
                ),
                Field(
                    "virtual_school_told",
                    "Has the Virtual School been told?",
                    kind=Kind.YES_NO,
                    shown_when=IN_CARE,
                    error_required="Select yes if the Virtual School has been told",
                ),
            ),
        ),
    ),
    requirements=(
        Requirement(
            "suspension-limit",
            "No more than 45 school days of suspension this school year",
            _suspension_days_this_year,
            OnFail.WARN,
            "With this suspension the pupil would have more than 45 school days of suspension "
            "this school year, the legal maximum.",
            "DOMAIN §10; KSAH §19",
            applies_when=SUSPENSION,
            detail=_suspension_days_detail,
        ),
        Requirement(
            "social-worker-told",
            "The social worker has been told",
            yes_to("social_worker_told"),
            OnFail.WARN,
            "Tell the pupil's social worker about the exclusion without delay.",
            "KSAH §19",
            applies_when=AnyOf(HAS_SOCIAL_WORKER, CP_PLAN),
        ),
        Requirement(
            "virtual-school-told",
            "The Virtual School has been told",
            yes_to("virtual_school_told"),
            OnFail.WARN,
            "Tell the Virtual School about the exclusion of a child in care without delay.",
            "KSAH §19",
            applies_when=IN_CARE,
        ),
    ),
    routing=(
        RoutingRule(
            "exclusions",
            officer="exclusion_adviser",
            why="Every notification goes on the exclusions database (KSAH §19) and to "
            "the school's linked exclusion intervention adviser (KSAH §8, §10).",
        ),
        virtual_school_copy("The virtual school head is notified of a child in care (DOMAIN §10)."),
        send_copy(
            "Pupils with an EHCP are placed by SEND, not In-Year Fair Access (KSAH §19).",
            when=AllOf(PERMANENT, HAS_EHCP),
        ),
    ),
)
