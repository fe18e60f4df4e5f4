"""The Courts Team's demo (issue 11 "Done when"): requests that are eligible, ineligible for
several reasons, a second notice and a parent at the limit, all decided live by the rule from
the demo register. Called from kpas/site/demo_seed.py after the front door's submissions
(which hand their penalty notice requests down already)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import CharField, Count, Value
from django.db.models.functions import Cast, Concat

from penalties.decision import penalty_decision
from penalties.models import PenaltyNotice, PenaltyRequest
from penalties.selectors import penalty_facts
from penalties.services import penalty_request_receive
from penalties.vocabulary import Case
from schools.attendance_report import NoEnrolment
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


def penalties_demo_register(*, school: School, as_of: date) -> list[int]:
    """Before alerts are derived: a week's family holiday not authorised (10 G) for a few
    pupils of the demo school with no N or C2 this year, so the demo holds leave cases the
    rule finds eligible. Set-based: one read of candidates, one update per pupil's week."""
    # Seven weeks back: inside the 10 school weeks, and older than a holiday the front door's
    # own demo may pick (it prefers the most recent), so its choice is unchanged.
    start = as_of - timedelta(weeks=7)
    blocked = Mark.objects.filter(code__in=["N", "C2"]).values("pupil_id")
    pupils = list(
        Pupil.objects.filter(
            enrolments__school=school,
            enrolments__end_date__isnull=True,
            parent_links__isnull=False,
            child_in_care=False,
            date_of_birth__lte=as_of - timedelta(days=365 * 6),
            date_of_birth__gte=as_of - timedelta(days=365 * 15),
        )
        .exclude(pk__in=blocked)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)[:HOLIDAY_FAMILIES]
    )
    for pupil_id in pupils:
        days = sorted(
            set(
                Mark.objects.filter(
                    school=school, pupil_id=pupil_id, date__gte=start, date__lt=as_of
                ).values_list("date", flat=True)
            )
        )[:5]
        Mark.objects.filter(school=school, pupil_id=pupil_id, date__in=days).update(code="G")
    return pupils


def _leave_candidates(as_of: date, limit: int = 3) -> list[Pupil]:
    """Pupils with 10 G sessions in the last 10 weeks (one aggregate query), kept when the
    rule finds their first parent eligible for a leave notice on the demo's day."""
    counts = (
        Mark.objects.filter(code="G", date__gt=as_of - timedelta(weeks=10), date__lte=as_of)
        .values("pupil_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=10)
        .order_by("pupil_id")
        .values_list("pupil_id", flat=True)
    )
    found: list[Pupil] = []
    for pupil in Pupil.objects.filter(pk__in=list(counts[:30]), child_in_care=False):
        parent = Parent.objects.filter(child_links__pupil=pupil).order_by("pk").first()
        if parent is None:
            continue
        try:
            facts = penalty_facts(pupil=pupil, parent=parent, case=Case.LEAVE, on=as_of)
        except NoEnrolment:
            continue
        if penalty_decision(facts).eligible:
            found.append(pupil)
        if len(found) == limit:
            break
    return found


def penalties_demo_create(*, as_of: date) -> int:
    """Returns how many requests the demo added. Idempotent by reference."""
    # Every demo parent gets an authority reference (import_parents would give real ones).
    Parent.objects.filter(parent_ref="").update(
        parent_ref=Concat(Value("P-"), Cast("pk", output_field=CharField()))
    )
    met = _leave_candidates(as_of)
    quiet = list(
        Pupil.objects.filter(parent_links__isnull=False, alerts__isnull=True)
        .distinct()
        .order_by("pk")[:2]
    )
    made = 0

    def request(n: int, pupil: Pupil, scenario: str, **extra: object) -> PenaltyRequest | None:
        nonlocal made
        enrolment = pupil.enrolments.order_by("-start_date").first()
        parents = _parents(pupil)
        if enrolment is None or not parents:
            return None
        made += 1
        return penalty_request_receive(
            submission_reference=f"{DEMO_PREFIX}{n:03d}",
            submission_id=None,
            pupil_id=pupil.pk,
            school_id=enrolment.school_id,
            scenario=scenario,
            parents=parents,
            **extra,  # type: ignore[arg-type]
        )

    # A first notice, a second (one paid notice already) and a parent at the limit (two:
    # the Single Justice Procedure for a third G leave case).
    for n, (pupil, paid) in enumerate(zip(met[:3], (0, 1, 2), strict=False), start=1):
        first = Parent.objects.filter(child_links__pupil=pupil).order_by("pk").first()
        if first is not None:
            _history(pupil, first, paid, as_of)
        request(n, pupil, "leave")
    if met:  # the same register, other cases: no notice to improve; not seen while excluded
        request(3, met[-1], "unauthorised")
        request(4, met[-1], "public_place", seen_on=as_of - timedelta(days=3))
    for k, pupil in enumerate(quiet, start=5):  # no threshold met
        request(k, pupil, "leave")
    in_care = (
        Pupil.objects.filter(child_in_care=True, parent_links__isnull=False).order_by("pk").first()
    )
    if in_care is not None:
        request(9, in_care, "leave")
    return made
