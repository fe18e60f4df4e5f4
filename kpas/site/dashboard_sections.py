"""The authority dashboard's figures from the apps above and beside kpas.figures: exclusions
and children missing education (casework), penalty notices, returns compliance "as they
exist" (issue 14 item 5). Registered with kpas.figures.sections when the site starts; each
reads the owning app's selectors, scoped to the user, in one or two set-based queries."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from kpas.base.models import User
from kpas.figures.sections import DashboardSection, dashboard_section_register
from penalties.reports import COLUMNS, penalty_report
from referrals.cases.rules import CaseKind
from referrals.cases.selectors import case_list_for
from returns.selectors import STATUS_LABELS, compliance_by_status
from schools.calendar import academic_year_bounds
from schools.selectors import school_list_for

CASE_KINDS = (CaseKind.EXCLUSION, CaseKind.EXCLUSION_ADVICE, CaseKind.CME)
PENALTY_HEADINGS = {
    "requests": "Requests received",
    "issued": "Notices issued",
    "paid_reduced": "Paid (reduced)",
    "paid_full": "Paid (full)",
    "unpaid": "Unpaid",
    "withdrawn": "Withdrawn",
    "prosecuted": "Prosecuted",
    "collected_pence": "Collected",
}


def _year_span(year: int, today: date) -> tuple[date, date]:
    first, last = academic_year_bounds(year)
    return first, min(last, today)


def cases_section(user: User, year: int, today: date) -> DashboardSection:
    first, last = _year_span(year, today)
    fields = ("opened", "closed", "open")
    counts: dict[str, dict[str, int]] = {
        str(row["kind"]): {"opened": row["opened"], "closed": row["closed"], "open": row["open"]}
        for row in case_list_for(user)
        .filter(school__in=school_list_for(user), kind__in=CASE_KINDS)
        .values("kind")
        .annotate(
            opened=Count("pk", filter=Q(opened_at__date__range=(first, last))),
            open=Count("pk", filter=Q(closed_at__isnull=True)),
            closed=Count("pk", filter=Q(closed_at__date__range=(first, last))),
        )
    }
    rows = tuple(
        (
            kind.label,
            *(str(counts.get(kind.value, {}).get(f, 0)) for f in fields),
        )
        for kind in CASE_KINDS
    )
    return DashboardSection(
        "cases",
        "Exclusions and children missing education",
        "Cases of pupils at the schools you can see: opened and closed in the school year "
        "shown (to today), and open today, whenever they were opened.",
        ("Case", "Opened this school year", "Closed this school year", "Open now"),
        rows,
    )


def _pounds(pence: int) -> str:
    return f"{pence / 100:.2f}"


def penalties_section(user: User, year: int, today: date) -> DashboardSection:
    first, last = _year_span(year, today)
    report = penalty_report(start=first, end=last, by="district", schools=school_list_for(user))
    totals = {c: sum(r.figures[c] for r in report) for c in COLUMNS}

    def line(label: str, figures: dict[str, int]) -> tuple[str, ...]:
        return (
            label or "No district",
            *(_pounds(figures[c]) if c == "collected_pence" else str(figures[c]) for c in COLUMNS),
        )

    return DashboardSection(
        "penalty-notices",
        "Penalty notices",
        "Requests received and notices issued in the school year shown (to today) at the "
        "schools you can see, "
        "by district, with what became of those notices so far; amounts collected in pounds.",
        ("District", *(PENALTY_HEADINGS[c] for c in COLUMNS)),
        (*(line(r.label, r.figures) for r in report), line("Total", totals)),
    )


def returns_section(user: User, year: int, today: date) -> DashboardSection:
    by_status = compliance_by_status(user, today=today)
    return DashboardSection(
        "returns-compliance",
        "Attendance and sickness returns compliance",
        "Each school's latest return period begun by today, by where it stands, with the "
        "pupils still to return and those overdue.",
        ("Status", "Schools", "Pupils to return", "Pupils overdue"),
        tuple(
            (STATUS_LABELS[status], *(str(n) for n in figures))
            for status, figures in by_status.items()
        ),
    )


def register() -> None:
    dashboard_section_register("cases", cases_section, order=10)
    dashboard_section_register("penalty_notices", penalties_section, order=20)
    dashboard_section_register("returns_compliance", returns_section, order=30)
