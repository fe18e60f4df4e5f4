"""Panels a higher floor shows on a schools page, without schools importing it (ADR 0008).

A higher app (penalties, returns, referrals) registers a panel for a page in its
`AppConfig.ready()`: a template and a function that computes the panel's context from the
user and the page's subject (a pupil, a school), through that app's own scoped selectors.
The schools page renders whatever is registered, in order. A function returning None shows
nothing (nothing to say, or nothing this user may see).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PUPIL_RECORD = "pupil_record"
SCHOOL_DASHBOARD = "school_dashboard"
PAGES = (PUPIL_RECORD, SCHOOL_DASHBOARD)

PanelContext = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: PanelContext
    order: int = 100


@dataclass(frozen=True)
class RenderedPanel:
    name: str
    template: str
    context: dict[str, Any]


_registry: dict[str, dict[str, Panel]] = {page: {} for page in PAGES}


def panel_register(*, page: str, panel: Panel) -> None:
    """Called from an AppConfig.ready(); registering the same name again replaces it."""
    if page not in _registry:
        raise ValueError(f"No such page for panels: {page}")
    _registry[page][panel.name] = panel


def panel_unregister(*, page: str, name: str) -> None:
    _registry[page].pop(name, None)


def panels_for(page: str, **subject: Any) -> list[RenderedPanel]:
    """The panels to render on `page` for this subject (e.g. user=..., pupil=...)."""
    rendered = []
    for panel in sorted(_registry[page].values(), key=lambda p: (p.order, p.name)):
        context = panel.context(**subject)
        if context is not None:
            rendered.append(RenderedPanel(panel.name, panel.template, context))
    return rendered
