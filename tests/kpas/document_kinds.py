"""Kinds of document registered only in tests (kpas/base/documents/registry.py).

`tests.blocking` makes "mid-render" deterministic for the killed-worker test: it notes each
attempt in a folder named by the document's params, then waits until a "release" file exists.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpas.base.documents.registry import DocumentKind, RenderedFile, register

if TYPE_CHECKING:  # importable before Django is set up (tests/kpas/worker_app.py)
    from kpas.base.models import Document, User

ECHO = "tests.echo"
BLOCKING = "tests.blocking"
FAILING = "tests.failing"
RENDERS: list[int] = []  # document ids rendered in this process (echo)


def _owner_only(user: User, params: dict[str, Any]) -> bool:
    return bool(user.is_authenticated and user.email == params.get("owner"))


def _echo(document: Document) -> RenderedFile:
    RENDERS.append(document.pk)
    return RenderedFile(f"echo-{document.pk}.pdf", f"%PDF-echo {document.params}".encode())


def _blocking(document: Document) -> RenderedFile:
    flags = Path(document.params["flags"])
    with (flags / "attempts").open("a") as attempts:
        attempts.write(f"{document.pk}\n")
    deadline = time.monotonic() + 120
    while not (flags / "release").exists():
        if time.monotonic() > deadline:
            raise TimeoutError("never released")
        time.sleep(0.05)
    return RenderedFile(f"blocking-{document.pk}.pdf", b"%PDF-blocking")


def _failing(document: Document) -> RenderedFile:
    raise RuntimeError("the renderer broke")


def register_test_kinds() -> None:
    for kind, render in ((ECHO, _echo), (BLOCKING, _blocking), (FAILING, _failing)):
        register(
            DocumentKind(kind=kind, label=f"Test {kind}", render=render, may_access=_owner_only)
        )
