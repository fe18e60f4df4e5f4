"""The import registry: every kind of file the authority receives, filled in by each app.

An app registers its kinds in its `AppConfig.ready()` (schools registers schools, calendar,
pupils, marks and CTF in schools/apps.py); `penalties` and `returns` add theirs the same way,
and `schools` never needs to know them. `ImportBatch.kind` is checked against this registry
(schools.imports.services, ImportBatch.clean), not against a fixed list of choices.

A kind's `prepare(source, school=..., authority=...)` reads the file from `source`, a binary
stream, a chunk at a time (the parser: `open_csv` for a CSV) and plans its writes (the store),
returning a `schools.imports.common.Prepared`; the stream is closed when it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the registry sits below the imports package, which fills it
    from schools.imports.common import Prepared


class Uploaders(StrEnum):
    """Who may send a kind of file."""

    SCHOOL = "school"  # a school's own staff, for their school (and service administrators)
    AUTHORITY = "authority"  # the authority's own files: service administrators only


@dataclass(frozen=True)
class ImportKind:
    kind: str  # stored in ImportBatch.kind: at most KIND_MAX_LENGTH characters
    label: str  # "Register marks (CSV)"
    prepare: Callable[..., Prepared]  # parser and store: (source, *, school, authority)
    uploaders: Uploaders
    file_type: str = "csv"  # "csv" or "xml": what an upload is checked against
    hint: str = ""  # one line for the upload form


KIND_MAX_LENGTH = 30
UNKNOWN_KIND = "unknown import kind {kind!r}; expected one of {kinds}"
ALREADY_REGISTERED = "import kind {kind!r} is already registered"

_REGISTRY: dict[str, ImportKind] = {}


class UnknownImportKind(ValueError):
    pass


def import_kind_register(entry: ImportKind) -> None:
    """Add a kind (from an AppConfig.ready()). Registering the same entry again is harmless."""
    if len(entry.kind) > KIND_MAX_LENGTH:
        raise ValueError(f"import kind {entry.kind!r} is longer than {KIND_MAX_LENGTH}")
    current = _REGISTRY.get(entry.kind)
    if current is not None and current != entry:
        raise ValueError(ALREADY_REGISTERED.format(kind=entry.kind))
    _REGISTRY[entry.kind] = entry


def import_kind_get(kind: Any) -> ImportKind:
    try:
        return _REGISTRY[str(kind)]
    except KeyError:
        raise UnknownImportKind(
            UNKNOWN_KIND.format(kind=str(kind), kinds=", ".join(_REGISTRY))
        ) from None


def import_kinds() -> tuple[ImportKind, ...]:
    """Every registered kind, in the order the apps registered them."""
    return tuple(_REGISTRY.values())


def import_kind_label(kind: Any) -> str:
    entry = _REGISTRY.get(str(kind))
    return entry.label if entry is not None else str(kind)


def import_kinds_for(uploaders: Uploaders) -> tuple[str, ...]:
    return tuple(k.kind for k in _REGISTRY.values() if k.uploaders == uploaders)
