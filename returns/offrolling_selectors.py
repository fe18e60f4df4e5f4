"""Reads for the off-rolling signals: the authority's list, scoped to the schools the user may
see (schools.selectors.school_list_for); out of scope is not found."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from kpas.base.errors import NotFound
from kpas.base.models import User
from returns.models import OffRollingSignal
from returns.selectors import schools_in_view

SHOW_OPEN, SHOW_DISMISSED, SHOW_CLEARED, SHOW_ALL = "open", "dismissed", "cleared", "all"
SHOW_CHOICES = (
    (SHOW_OPEN, "Open"),
    (SHOW_DISMISSED, "Dismissed"),
    (SHOW_CLEARED, "No longer found"),
    (SHOW_ALL, "All"),
)
LIMIT = 300


@dataclass
class SignalList:
    signals: list[OffRollingSignal]
    total: int
    counts: list[tuple[str, str, int]]  # (kind, label, open signals of that kind)


def _shown(found: QuerySet[OffRollingSignal], show: str) -> QuerySet[OffRollingSignal]:
    if show == SHOW_DISMISSED:
        return found.filter(dismissed_at__isnull=False)
    if show == SHOW_CLEARED:
        return found.filter(dismissed_at__isnull=True, cleared_on__isnull=False)
    if show == SHOW_ALL:
        return found
    return found.filter(dismissed_at__isnull=True, cleared_on__isnull=True)


def signals_for(
    user: User, *, area: str = "", district: str = "", kind: str = "", show: str = SHOW_OPEN
) -> SignalList:
    """The signals at the user's schools, newest first, filtered by area, district, kind."""
    found = OffRollingSignal.objects.filter(
        school__in=schools_in_view(user, area=area, district=district)
    )
    open_by_kind = {k: 0 for k in OffRollingSignal.Kind.values}
    for value in _shown(found, SHOW_OPEN).values_list("kind", flat=True):
        open_by_kind[value] = open_by_kind.get(value, 0) + 1
    if kind in OffRollingSignal.Kind.values:
        found = found.filter(kind=kind)
    found = _shown(found, show).select_related("school__district__area", "pupil", "dismissed_by")
    return SignalList(
        signals=list(found.order_by("-occurred_on", "pk")[:LIMIT]),
        total=found.count(),
        counts=[
            (k, str(OffRollingSignal.Kind(k).label), open_by_kind[k])
            for k in OffRollingSignal.Kind.values
        ],
    )


def signal_get_for(user: User, pk: int) -> OffRollingSignal:
    try:
        return OffRollingSignal.objects.select_related("school", "pupil").get(
            pk=pk, school__in=schools_in_view(user)
        )
    except OffRollingSignal.DoesNotExist:
        raise NotFound("No such signal.") from None
