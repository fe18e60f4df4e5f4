"""Lost pupils: a Common Transfer File whose destination is XXX/XXXX (the pupil left and the
school does not know where to, KSAH §22). The CTF import (schools.imports.ctf_apply)
recognises one and reports its pupils here; what the authority then does belongs to a higher
floor, which registers a hook (referrals.cases opens a CME enquiry when the CME team holds no
notification for the pupil). Hooks run inside the import's transaction: an import that fails
leaves no enquiry behind, and one that succeeds never loses its enquiries. Each hook must be
idempotent (a re-sent file reports the same pupils again)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class LostPupils:
    school_id: int  # the school that sent the file (the pupils' last school)
    pupil_ids: tuple[int, ...]
    written_on: date | None  # the file's date, when its header gives one
    batch_id: int | None = None  # the import that brought the file


LostPupilsHook = Callable[[LostPupils], None]

_HOOKS: dict[str, LostPupilsHook] = {}


def lost_pupils_hook_register(name: str, hook: LostPupilsHook) -> None:
    """Add a hook (from an AppConfig.ready()); registering the same name again replaces it."""
    _HOOKS[name] = hook


def lost_pupils_report(report: LostPupils) -> None:
    """Run every registered hook for the pupils of one lost-pupil file."""
    if not report.pupil_ids:
        return
    for hook in list(_HOOKS.values()):
        hook(report)
