"""The Courts Team's demo (issue 11 "Done when"): requests that are eligible, ineligible for
each reason, a second notice and a parent at the limit, all decided live by the rule from the
demo register. Called from kpas/site/demo_seed.py after the front door's submissions
(which hand their penalty notice requests down already)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from django.db.models import CharField, Count, Value
from django.db.models.functions import Cast, Concat

from penalties.decision import penalty_decision
from penalties.models import PenaltyNotice, PenaltyRequest
from penalties.selectors import penalty_facts, state_funded_school
from penalties.services import penalty_request_receive
from penalties.vocabulary import Case, Reason
from schools.attendance_report import NoEnrolment
from schools.demo_edges import SECOND_EPISODE_DAYS
from schools.models import Mark, Parent, Pupil, School

DEMO_PREFIX = "DEMO-PN-"


def _parents(pupil: Pupil) -> list[dict[str, str]]:
    return [
        {
            "name": " ".join(x for x in (p.title, p.forename, p.surname) if x),
            "address": ", ".join(x for x in (p.address_line_1, p.town, p.postcode) if x),
            "previous_notices": "0",
        }
        for p in Parent.objects.filter(child_links__pupil=pupil).order_by("pk")
    ]


def _history(pupil: Pupil, parent: Parent, n: int, as_of: date) -> None:
    """n paid leave notices for this parent and child, after 19 August 2024 (they count)."""
    for k in range(n):
        PenaltyNotice.objects.get_or_create(
            reference=f"DEMO-OLD-{pupil.pk}-{parent.pk}-{k}",
            defaults={
                "pupil": pupil,
                "parent": parent,
                "case": Case.LEAVE,
                "issued_on": as_of - timedelta(days=200 + 120 * k),
                "status": "paid",
                "paid_on": as_of - timedelta(days=190 + 120 * k),
                "amount_paid": 8000,
                "local_authority": "886",
                "source": PenaltyNotice.Source.IMPORTED,
            },
        )


HOLIDAY_FAMILIES = 3


def _holiday(school: School, pupil_id: int, start: date, as_of: date) -> list[date]:
    """A week's family holiday not authorised: the pupil's first 5 register days from
    `start` coded G (10 sessions). Returns the days."""
    days = sorted(
        set(
            Mark.objects.filter(
                school=school, pupil_id=pupil_id, date__gte=start, date__lt=as_of
            ).values_list("date", flat=True)
        )
    )[:5]
    Mark.objects.filter(school=school, pupil_id=pupil_id, date__in=days).update(code="G")
    return days


def _recode(school: School, pupil_id: int, day: date | None, code: str) -> None:
    """The pupil's morning session of `day` recoded (one session)."""
    if day is not None:
        Mark.objects.filter(school=school, pupil_id=pupil_id, date=day, session=0).update(code=code)


def _clean(school: School, pupil_id: int, *, since: date) -> None:
    """The pupil's N and C2 sessions since `since` recoded present (AM / and PM \\)."""
    rows = Mark.objects.filter(
        school=school, pupil_id=pupil_id, date__gte=since, code__in=["N", "C2"]
    )
    rows.filter(session=0).update(code="/")
    rows.filter(session=1).update(code="\\")


def _day(
    school: School, pupil_id: int, *, before: date | None = None, after: date | None = None
) -> date | None:
    rows = Mark.objects.filter(school=school, pupil_id=pupil_id)
    if before is not None:
        return rows.filter(date__lt=before).order_by("-date").values_list("date", flat=True).first()
    return rows.filter(date__gt=after).order_by("date").values_list("date", flat=True).first()


def penalties_demo_register(*, schools: list[School], as_of: date) -> list[int]:
    """Before alerts are derived, a week's family holiday not authorised (10 G) for a few
    pupils of the demo school: three with no N or C2 this year the rule finds eligible, and
    one for each register condition that can then fail (DOMAIN §5 issue conditions): a
    Reception child below compulsory school age, a session still N after it, a C2 session
    before it, a child in care; and one pupil of an independent school, where the register
    has one. Set-based: one read of candidates, a few updates per pupil."""
    school = schools[0]
    # Seven weeks back: inside the 10 school weeks, and older than a holiday the front door's
    # own demo may pick (it prefers the most recent), so its choice is unchanged.
    start = as_of - timedelta(weeks=7)
    blocked = Mark.objects.filter(code__in=["N", "C2"]).values("pupil_id")
    edged = Mark.objects.filter(code="U", date=SECOND_EPISODE_DAYS[0]).values("pupil_id")
    pool = (
        Pupil.objects.filter(
            enrolments__school=school,
            enrolments__end_date__isnull=True,
            parent_links__isnull=False,
            child_in_care=False,
        )
        .exclude(pk__in=edged)  # the demo's second-threshold-episode pupil keeps its edges
        .distinct()
        .order_by("pk")
    )
    of_age = pool.filter(
        date_of_birth__lte=as_of - timedelta(days=365 * 6),
        date_of_birth__gte=as_of - timedelta(days=365 * 15),
    )
    families = list(of_age.exclude(pk__in=blocked).values_list("pk", flat=True)[:HOLIDAY_FAMILIES])
    # The others from the end of the roll: the front door's journeys use its first pupils.
    others = of_age.exclude(pk__in=families).order_by("-pk")
    extras = list(others.values_list("pk", flat=True)[:3])
    young = list(
        pool.filter(date_of_birth__gt=as_of - timedelta(days=365 * 5))
        .order_by("-pk")
        .values_list("pk", flat=True)[:1]
    )
    for pupil_id in extras + young:  # one failing condition each: no other N or C2 lately
        _clean(school, pupil_id, since=start - timedelta(weeks=20))
    for pupil_id in families + extras + young:
        _holiday(school, pupil_id, start, as_of)
    if len(extras) > 0:  # a session still N after the holiday: no-outstanding-n
        _recode(school, extras[0], _day(school, extras[0], after=as_of - timedelta(weeks=2)), "N")
    if len(extras) > 1:  # a part-time timetable session before it: no-c2
        _recode(school, extras[1], _day(school, extras[1], before=start), "C2")
    if len(extras) > 2:  # looked after by the authority: not-in-care
        Pupil.objects.filter(pk=extras[2]).update(child_in_care=True)
    independent = next((s for s in schools if not state_funded_school(s)), None)
    chosen = families + extras + young
    if independent is not None:  # full demo: a pupil of the independent school
        independent_pupil = (
            Pupil.objects.filter(
                enrolments__school=independent,
                enrolments__end_date__isnull=True,
                parent_links__isnull=False,
                child_in_care=False,
                date_of_birth__lte=as_of - timedelta(days=365 * 6),
            )
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if independent_pupil is not None:
            _holiday(independent, independent_pupil, start, as_of)
            chosen.append(independent_pupil)
    return chosen


def _held_ten_g(as_of: date, limit: int = 40) -> dict[Reason | str, Pupil]:
    """Pupils with 10 G sessions in the last 10 weeks (one aggregate query), each decided
    by the rule for their first parent on the demo's day: the first pupil found for each
    outcome ("eligible-1", "eligible-2", "eligible-3" or a single failing reason)."""
    counts = (
        Mark.objects.filter(code="G", date__gt=as_of - timedelta(weeks=10), date__lte=as_of)
        .values("pupil_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=10)
        .order_by("pupil_id")
        .values_list("pupil_id", flat=True)
    )
    found: dict[Reason | str, Pupil] = {}
    eligible = 0
    for pupil in Pupil.objects.filter(pk__in=list(counts[:limit])).order_by("pk"):
        parent = Parent.objects.filter(child_links__pupil=pupil).order_by("pk").first()
        if parent is None:
            continue
        try:
            facts = penalty_facts(pupil=pupil, parent=parent, case=Case.LEAVE, on=as_of)
        except NoEnrolment:
            continue
        decision = penalty_decision(facts)
        if decision.eligible and eligible < HOLIDAY_FAMILIES:
            eligible += 1
            found[f"eligible-{eligible}"] = pupil
        elif len(decision.reasons) == 1:
            found.setdefault(decision.reasons[0], pupil)
    return found


# The register conditions the demo shows failing in a leave case of its own (DOMAIN §5).
SINGLE_REASONS: Final = (
    Reason.COMPULSORY_SCHOOL_AGE,
    Reason.NO_OUTSTANDING_N,
    Reason.NO_C2,
    Reason.NOT_IN_CARE,
    Reason.STATE_FUNDED,
)


def penalties_demo_create(*, as_of: date) -> int:
    """Returns how many requests the demo added. Idempotent by reference."""
    # Every demo parent gets an authority reference (import_parents would give real ones).
    Parent.objects.filter(parent_ref="").update(
        parent_ref=Concat(Value("P-"), Cast("pk", output_field=CharField()))
    )
    held = _held_ten_g(as_of)
    met = [held[f"eligible-{k}"] for k in range(1, HOLIDAY_FAMILIES + 1) if f"eligible-{k}" in held]
    quiet = list(
        Pupil.objects.filter(parent_links__isnull=False, alerts__isnull=True)
        .distinct()
        .order_by("pk")[:2]
    )
    made = 0

    def request(pupil: Pupil, scenario: str, **extra: object) -> PenaltyRequest | None:
        nonlocal made
        enrolment = pupil.enrolments.order_by("-start_date").first()
        parents = _parents(pupil)
        if enrolment is None or not parents:
            return None
        made += 1
        return penalty_request_receive(
            submission_reference=f"{DEMO_PREFIX}{made:03d}",
            submission_id=None,
            pupil_id=pupil.pk,
            school_id=enrolment.school_id,
            scenario=scenario,
            parents=parents,
            **extra,  # type: ignore[arg-type]
        )

    # A first notice, a second (one paid notice already) and a parent at the limit (two:
    # the Single Justice Procedure for a third G leave case).
    for pupil, paid in zip(met, (0, 1, 2), strict=False):
        first = Parent.objects.filter(child_links__pupil=pupil).order_by("pk").first()
        if first is not None:
            _history(pupil, first, paid, as_of)
        request(pupil, "leave")
    if met:  # the same register, other cases: no notice to improve; not seen while excluded
        request(met[-1], "unauthorised")
        request(met[-1], "public_place", seen_on=as_of - timedelta(days=3))
    for pupil in quiet:  # no threshold met
        request(pupil, "leave")
    for reason in SINGLE_REASONS:  # 10 G, and one other condition fails
        if reason in held:
            request(held[reason], "leave")
    return made
