"""Reads for statutory returns, scoped to the user through the schools they may see
(schools.selectors.school_list_for): out of scope is not found."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from kpas.base.errors import NotFound
from kpas.base.models import User
from kpas.base.roles import AUTHORITY_ROLES
from returns import rules
from returns.models import ReturnEntry, ReturnPeriod
from schools.models import School
from schools.selectors import school_get_for, school_list_for

STATUS_LABELS = {
    rules.SENT: "Sent",
    rules.LATE: "Sent late",
    rules.DUE: "Due",
    rules.OVERDUE: "Overdue",
    rules.NIL: "Nil return",
}


def is_authority(user: User) -> bool:
    return bool(user.is_superuser or user.role in AUTHORITY_ROLES)


def entry_get_for(user: User, pk: int) -> ReturnEntry:
    try:
        return ReturnEntry.objects.select_related("school", "pupil").get(
            pk=pk, school__in=school_list_for(user)
        )
    except ReturnEntry.DoesNotExist:
        raise NotFound("No such return entry.") from None


def period_get_for(user: User, pk: int) -> ReturnPeriod:
    try:
        return ReturnPeriod.objects.select_related("school").get(
            pk=pk, school__in=school_list_for(user)
        )
    except ReturnPeriod.DoesNotExist:
        raise NotFound("No such return period.") from None


@dataclass
class SentReturn:
    reference: str
    sent_at: datetime | None
    pupils: list[ReturnEntry] = field(default_factory=list)


@dataclass
class SchoolReturns:
    school: School
    due: list[ReturnEntry]
    not_needed: list[ReturnEntry]
    sent: list[SentReturn]
    period: ReturnPeriod | None
    status: str

    @property
    def overdue(self) -> list[ReturnEntry]:
        return [e for e in self.due if e.due_on is not None and e.due_on < self.today]

    today: date = date.min


def school_returns_for(user: User, urn: str, *, today: date) -> SchoolReturns:
    """The school's "Returns due": pupils still to return with each episode, those it said
    need none, what it sent before and when, and where its current period stands."""
    school = school_get_for(user, urn)
    entries = list(
        ReturnEntry.objects.filter(school=school)
        .select_related("pupil", "period")
        .order_by("due_on", "pupil__surname", "pupil__forename")
    )
    due = [e for e in entries if e.status == ReturnEntry.Status.DUE]
    sent: dict[str, SentReturn] = {}
    for entry in sorted(
        (e for e in entries if e.status == ReturnEntry.Status.RETURNED),
        key=lambda e: e.returned_at.timestamp() if e.returned_at else 0.0,
        reverse=True,
    ):
        group = sent.setdefault(
            entry.returned_reference, SentReturn(entry.returned_reference, entry.returned_at)
        )
        group.pupils.append(entry)
    period = (
        ReturnPeriod.objects.filter(school=school, starts__lte=today).order_by("-starts").first()
    )
    in_period = [e for e in entries if period is not None and e.period_id == period.pk]
    return SchoolReturns(
        school=school,
        due=due,
        not_needed=[e for e in entries if e.status == ReturnEntry.Status.NOT_NEEDED],
        sent=list(sent.values()),
        period=period,
        status=period_status(in_period, today),
        today=today,
    )


class EntryFacts(NamedTuple):
    """What a period's standing needs of each entry: read as tuples, not model instances (a
    county's periods hold tens of thousands of entries; the dashboard reads them all)."""

    period_id: int
    status: str
    due_on: date | None
    returned_at: datetime | None


def entry_facts_by_period(period_ids: list[int]) -> dict[int, list[EntryFacts]]:
    found: dict[int, list[EntryFacts]] = defaultdict(list)
    rows = (
        ReturnEntry.objects.filter(period__in=period_ids)
        .order_by()  # no join to the pupils for the model's default order
        .values_list("period_id", "status", "due_on", "returned_at")
    )
    for row in rows.iterator(chunk_size=10_000):
        found[row[0]].append(EntryFacts(*row))
    return found


EMPTY_COUNTS: dict[str, Any] = {
    "due": 0, "overdue": 0, "returned": 0, "late": 0, "not_needed": 0, "last_sent": None
}  # fmt: skip


def entry_counts_by_period(period_ids: list[int], *, today: date) -> dict[int, dict[str, Any]]:
    """Per period, its entries counted in the database (one grouped query): still to return,
    of them overdue, returned, of them late (sent on a later day than due, in local time),
    not needed, and when the last was sent."""
    status = ReturnEntry.Status
    returned = Q(status=status.RETURNED)
    rows = (
        ReturnEntry.objects.filter(period__in=period_ids)
        .order_by()  # the model orders by pupil surname: a join a count does not need
        .values("period_id")
        .annotate(
            due=Count("pk", filter=Q(status=status.DUE)),
            overdue=Count("pk", filter=Q(status=status.DUE, due_on__lt=today)),
            returned=Count("pk", filter=returned),
            late=Count(
                "pk", filter=returned & Q(due_on__isnull=False, returned_at__date__gt=F("due_on"))
            ),
            not_needed=Count("pk", filter=Q(status=status.NOT_NEEDED)),
            last_sent=Max("returned_at", filter=returned),
        )
    )
    return {row["period_id"]: dict(row) for row in rows}


def period_status(entries: Sequence[ReturnEntry | EntryFacts], today: date) -> str:
    return rules.period_compliance(
        open_due=[e.due_on for e in entries if e.status == ReturnEntry.Status.DUE],
        returned=[
            (timezone.localdate(e.returned_at), e.due_on)
            for e in entries
            if e.status == ReturnEntry.Status.RETURNED and e.returned_at is not None
        ],
        today=today,
    )


# --- the authority's view ---------------------------------------------------------------------
@dataclass
class ComplianceRow:
    school: School
    period: ReturnPeriod
    status: str
    to_return: int
    overdue: int
    returned: int
    not_needed: int
    last_sent: datetime | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def schools_in_view(user: User, *, area: str = "", district: str = "") -> QuerySet[School]:
    schools = school_list_for(user)
    if area:
        schools = schools.filter(district__area__name=area)
    if district:
        schools = schools.filter(district__name=district)
    return schools


def period_starts_for(user: User) -> list[date]:
    """The period start dates the user's schools have, newest first (current and past)."""
    return list(
        ReturnPeriod.objects.filter(school__in=school_list_for(user))
        .order_by("-starts")
        .values_list("starts", flat=True)
        .distinct()
    )


def compliance_for(
    user: User, *, today: date, starts: date | None = None, area: str = "", district: str = ""
) -> list[ComplianceRow]:
    """Each school's period (the one starting on `starts`, else each school's latest begun by
    today) with where it stands. A few queries whatever the number of schools."""
    periods = ReturnPeriod.objects.filter(
        school__in=schools_in_view(user, area=area, district=district)
    ).select_related("school__district__area")
    if starts is not None:
        chosen = list(periods.filter(starts=starts))
    else:
        chosen = list(periods.filter(pk__in=latest_period_ids(user, today=today)))
    counts = entry_counts_by_period([p.pk for p in chosen], today=today)
    rows = []
    for period in chosen:
        c = counts.get(period.pk, EMPTY_COUNTS)
        rows.append(
            ComplianceRow(
                school=period.school,
                period=period,
                status=rules.period_compliance_of_counts(
                    still_open=c["due"],
                    overdue=c["overdue"],
                    returned=c["returned"],
                    late=c["late"],
                ),
                to_return=c["due"],
                overdue=c["overdue"],
                returned=c["returned"],
                not_needed=c["not_needed"],
                last_sent=c["last_sent"],
            )
        )
    order = {rules.OVERDUE: 0, rules.DUE: 1, rules.LATE: 2, rules.SENT: 3, rules.NIL: 4}
    return sorted(rows, key=lambda r: (order[r.status], r.school.name))


def latest_period_ids(user: User, *, today: date) -> list[int]:
    """Each school's latest period begun by today (the schools the user may see)."""
    latest: dict[int, int] = {}
    for school_id, pk in (
        ReturnPeriod.objects.filter(school__in=school_list_for(user), starts__lte=today)
        .order_by("starts", "pk")
        .values_list("school_id", "pk")
    ):
        latest[school_id] = pk
    return list(latest.values())


def compliance_by_status(user: User, *, today: date) -> dict[str, tuple[int, int, int]]:
    """The dashboard's summary of compliance_for: per status, the schools, pupils still to
    return and pupils overdue, counted without reading a school or period whole."""
    summary: dict[str, list[int]] = {status: [0, 0, 0] for status in STATUS_LABELS}
    period_ids = latest_period_ids(user, today=today)
    counts = entry_counts_by_period(period_ids, today=today)
    for period_id in period_ids:
        c = counts.get(period_id, EMPTY_COUNTS)
        status = rules.period_compliance_of_counts(
            still_open=c["due"], overdue=c["overdue"], returned=c["returned"], late=c["late"]
        )
        figures = summary[status]
        figures[0] += 1
        figures[1] += c["due"]
        figures[2] += c["overdue"]
    return {status: (f[0], f[1], f[2]) for status, f in summary.items()}


def returned_pupils_for(
    user: User, *, starts: date | None = None, area: str = "", district: str = ""
) -> list[dict[str, Any]]:
    """Pupils the schools returned, for triage, with in care / EHCP / child protection plan
    flagged from the return and the register (DOMAIN §8)."""
    found = ReturnEntry.objects.filter(
        school__in=schools_in_view(user, area=area, district=district),
        status=ReturnEntry.Status.RETURNED,
    ).select_related("pupil", "school")
    if starts is not None:
        found = found.filter(period__starts=starts)
    rows = []
    for entry in found.order_by("-returned_at")[:500]:
        flags = set(entry.returned_flags or [])
        rows.append(
            {
                "entry": entry,
                "in_care": "in_care" in flags or entry.pupil.child_in_care,
                "ehcp": "ehcp" in flags or entry.pupil.ehcp,
                "cp_plan": "cp_plan" in flags,
            }
        )
    return rows


def not_needed_for(
    user: User, *, starts: date | None = None, area: str = "", district: str = ""
) -> list[ReturnEntry]:
    """Pupils a school said need no return, with its reason, for the authority to see."""
    found = ReturnEntry.objects.filter(
        school__in=schools_in_view(user, area=area, district=district),
        status=ReturnEntry.Status.NOT_NEEDED,
    ).select_related("pupil", "school")
    if starts is not None:
        found = found.filter(period__starts=starts)
    return list(found.order_by("-decided_at")[:500])


SICKNESS_KINDS = (ReturnEntry.Kind.SICKNESS_CONSECUTIVE, ReturnEntry.Kind.SICKNESS_TOTAL)


def repeated_sickness_for(user: User, *, area: str = "", district: str = "") -> list[Any]:
    """Pupils with more than one sickness episode: the authority may owe a duty to arrange
    education under EA96 s.19 (KSAH §24)."""
    return list(
        ReturnEntry.objects.filter(
            school__in=schools_in_view(user, area=area, district=district),
            kind__in=SICKNESS_KINDS,
        )
        .exclude(status=ReturnEntry.Status.NOT_NEEDED)
        .values("pupil_id", "pupil__upn", "pupil__forename", "pupil__surname", "school__name")
        .annotate(episodes=Count("pk"))
        .filter(episodes__gt=1)
        .order_by("-episodes", "pupil__surname")
    )
