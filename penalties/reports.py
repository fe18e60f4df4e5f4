"""Reports for the Courts Team and managers (issue 11 item 9): requests received, notices
issued, paid (reduced / full), unpaid, withdrawn, prosecuted, and amounts collected, by school
or district, for a period. Each figure is one aggregate query, grouped in the database."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from django.db.models import Count, F, Q, QuerySet, Sum

from kpas.base.models import User
from kpas.base.roles import Role
from penalties.models import NoticeIssue, PenaltyRequest
from penalties.vocabulary import NoticeStatus
from schools.models import School

REPORT_ROLES: Final = frozenset({Role.COURTS_TEAM, Role.SERVICE_ADMIN, Role.AREA_MANAGER})
GROUPS: Final = {"school": ("school__name", "school__urn"), "district": ("school__district__name",)}
COLUMNS: Final = (
    "requests",
    "issued",
    "paid_reduced",
    "paid_full",
    "unpaid",
    "withdrawn",
    "prosecuted",
    "collected_pence",
)


def may_see_reports(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in REPORT_ROLES))


@dataclass
class ReportRow:
    label: str
    figures: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))


def penalty_report(
    *, start: date, end: date, by: str = "school", schools: QuerySet[School] | None = None
) -> list[ReportRow]:
    """Requests received and notices issued in [start, end], with what became of those
    notices (as of now), of `schools` if given (a user's scope), else of every school.
    Paid reduced: paid by the reduced deadline with a reduced amount."""
    keys = GROUPS[by]
    rows: dict[tuple[str, ...], ReportRow] = {}

    def row(values: dict[str, str]) -> ReportRow:
        key = tuple(str(values[k]) for k in keys)
        if key not in rows:
            label = key[0] if by == "district" else f"{key[0]} ({key[1]})"
            rows[key] = ReportRow(label)
        return rows[key]

    requests = PenaltyRequest.objects.filter(
        received_at__date__gte=start, received_at__date__lte=end
    )
    issues = NoticeIssue.objects.filter(notice__issued_on__gte=start, notice__issued_on__lte=end)
    if schools is not None:
        requests, issues = requests.filter(school__in=schools), issues.filter(school__in=schools)
    for values in requests.values(*keys).annotate(n=Count("pk")):
        row(values).figures["requests"] = values["n"]
    paid = Q(notice__status=NoticeStatus.PAID)
    reduced = paid & Q(reduced_amount__isnull=False, notice__paid_on__lte=F("reduced_by"))
    notices = issues.values(*keys).annotate(
        issued=Count("pk"),
        paid_reduced=Count("pk", filter=reduced),
        paid_full=Count("pk", filter=paid & ~reduced),
        unpaid=Count("pk", filter=Q(notice__status=NoticeStatus.UNPAID)),
        withdrawn=Count("pk", filter=Q(notice__status=NoticeStatus.WITHDRAWN)),
        prosecuted=Count("pk", filter=Q(prosecuted=True)),
        collected_pence=Sum("notice__amount_paid", filter=paid, default=0),
    )
    for values in notices:
        figures = row(values).figures
        for column in COLUMNS[1:]:
            figures[column] = values[column] or 0
    return sorted(rows.values(), key=lambda r: r.label)


def report_csv(rows: list[ReportRow], *, by: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([by, *COLUMNS])
    for r in rows:
        writer.writerow([r.label, *(r.figures[c] for c in COLUMNS)])
    total = [sum(r.figures[c] for r in rows) for c in COLUMNS]
    writer.writerow(["total", *total])
    return out.getvalue()
