"""A school's to-do list: a small registry of providers, each turning one app's data into
items on the school's home page (kpas/site/todo_providers.py holds the first ones).

The top floor composes every app, so a provider lives here (or in a module of kpas/site)
and calls the owning app's selectors; the apps themselves never import this module.
To add one: write `def provider(ctx: TodoContext) -> list[TodoItem]` and call
`todo_provider_register("name", provider, order=...)` at import of kpas.site.todo_providers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from kpas.base.models import User
from schools.models import School


@dataclass(frozen=True)
class TodoLink:
    text: str
    url: str
    hidden: str = ""  # visually hidden words that make the link text unique


@dataclass(frozen=True)
class TodoRow:
    """One thing to act on, usually one pupil."""

    label: str
    detail: str = ""
    links: tuple[TodoLink, ...] = ()


@dataclass(frozen=True)
class TodoItem:
    key: str  # stable, for tests and anchors
    title: str
    count: int
    detail: str = ""
    rows: tuple[TodoRow, ...] = ()
    link: TodoLink | None = None  # "see all"
    urgent: bool = False


@dataclass(frozen=True)
class TodoContext:
    user: User
    school: School
    today: date
    extra: dict[str, object] = field(default_factory=dict)


TodoProvider = Callable[[TodoContext], list[TodoItem]]
_PROVIDERS: dict[str, tuple[int, TodoProvider]] = {}


def todo_provider_register(name: str, provider: TodoProvider, *, order: int = 100) -> None:
    """Add (or replace) a provider; lower `order` comes first on the page."""
    _PROVIDERS[name] = (order, provider)


def todo_items_for(ctx: TodoContext) -> list[TodoItem]:
    """Every provider's items with something to do (count > 0), urgent ones first."""
    items: list[TodoItem] = []
    for _, provider in sorted(_PROVIDERS.values(), key=lambda pair: pair[0]):
        items.extend(item for item in provider(ctx) if item.count > 0)
    return sorted(items, key=lambda item: not item.urgent)
