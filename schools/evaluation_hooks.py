"""Work a higher app does after each school's evaluation (e.g. kpas/figures keeps the
dashboards' precomputed figures), registered from its AppConfig.ready() so schools never
imports it. A hook runs in the evaluation's task: it must be idempotent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

EvaluationHook = Callable[..., None]  # hook(*, school_id: int, as_of: date)
_HOOKS: dict[str, EvaluationHook] = {}


def evaluation_hook_register(name: str, hook: EvaluationHook) -> None:
    _HOOKS[name] = hook


def evaluation_hooks_run(*, school_id: int, as_of: date) -> None:
    for hook in _HOOKS.values():
        hook(school_id=school_id, as_of=as_of)
