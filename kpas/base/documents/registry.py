"""Which kinds of document exist: each app registers its own in `AppConfig.ready()`.

A kind names a function that renders the bytes (and names the file) and a function that says
whether a user may see a document of that kind: the same check as the page that asked for it,
so the progress page and the download are scoped exactly as that page (out of scope = not found).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kpas.base.models import Document, User


@dataclass(frozen=True)
class RenderedFile:
    filename: str
    content: bytes
    content_type: str = "application/pdf"


@dataclass(frozen=True)
class DocumentKind:
    kind: str
    label: str  # "Registration certificate": the progress page's heading
    render: Callable[[Document], RenderedFile]
    # (user, params) -> may this user see it? The page's own scoping, reused.
    may_access: Callable[[User, dict[str, Any]], bool]
    # (params) -> where "Back" on the progress page goes; "" for the home page.
    back_url: Callable[[dict[str, Any]], str] = lambda params: ""


class UnknownKind(LookupError):
    pass


_KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> None:
    """Add a kind; registering the same kind again replaces it (tests, autoreload)."""
    _KINDS[kind.kind] = kind


def kind_for(kind: str) -> DocumentKind:
    try:
        return _KINDS[kind]
    except KeyError:
        raise UnknownKind(kind) from None


def kinds() -> tuple[str, ...]:
    return tuple(sorted(_KINDS))
