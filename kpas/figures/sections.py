"""More tables on the authority's dashboard, from apps on this floor and above (exclusions,
children missing education, penalty notices, returns compliance): a registry, so
kpas.figures never imports them (ADR 0008). The top floor (kpas/site/dashboard_sections.py)
registers a provider per section; each reads the owning app's selectors, scoped to the user,
in a few set-based queries whatever the number of schools."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from kpas.base.models import User


@dataclass(frozen=True)
class DashboardSection:
    """One table: a header row and rows of text, with what it counts in plain words."""

    key: str  # stable: the table's id and its sheet in the XLSX
    title: str
    note: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


SectionProvider = Callable[[User, int, date], DashboardSection | None]
_SECTIONS: dict[str, tuple[int, SectionProvider]] = {}


def dashboard_section_register(name: str, provider: SectionProvider, *, order: int = 100) -> None:
    """Add (or replace) a section; `provider(user, academic_year, today)`."""
    _SECTIONS[name] = (order, provider)


def dashboard_sections(user: User, *, year: int, today: date) -> list[DashboardSection]:
    sections = []
    for _, provider in sorted(_SECTIONS.values(), key=lambda pair: pair[0]):
        section = provider(user, year, today)
        if section is not None:
            sections.append(section)
    return sections
