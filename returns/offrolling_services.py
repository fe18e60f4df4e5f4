"""Writes for the off-rolling signals (DOMAIN §9; KSAH §22-24): the nightly refresh and the
authority's dismissal with a reason (audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from kpas.base.audit import AuditAction, audit_record
from kpas.base.errors import ApplicationError
from kpas.base.models import User
from returns.models import OffRollingSignal
from returns.offrolling_find import signals_find

DISMISS_REASON_REQUIRED = "Say why this signal needs no action"
ALREADY_DISMISSED = "This signal has already been dismissed"


@dataclass
class RefreshResult:
    created: int = 0
    updated: int = 0
    cleared: int = 0


@transaction.atomic
def offrolling_signals_refresh(*, today: date) -> RefreshResult:
    """Find every signal that holds today and store it once (kind, key). A re-run creates
    nothing new; a dismissed signal is never touched again; an open signal no longer found is
    marked cleared (and opened again should it come back)."""
    found = {(f.kind, f.key): f for f in signals_find(today=today)}
    existing = {(s.kind, s.key): s for s in OffRollingSignal.objects.select_for_update()}
    result = RefreshResult()
    new, changed = [], []
    for key, f in found.items():
        signal = existing.get(key)
        if signal is None:
            new.append(
                OffRollingSignal(
                    kind=f.kind, key=f.key, school_id=f.school_id, pupil_id=f.pupil_id,
                    summary=f.summary, evidence=f.evidence, occurred_on=f.occurred_on,
                    found_on=today,
                )
            )  # fmt: skip
            continue
        if signal.dismissed_at is not None:
            continue
        fresh = (f.summary, f.evidence, None)
        if (signal.summary, signal.evidence, signal.cleared_on) != fresh:
            signal.summary, signal.evidence, signal.cleared_on = fresh
            changed.append(signal)
    for key, signal in existing.items():
        if key not in found and signal.is_open:
            signal.cleared_on = today
            changed.append(signal)
            result.cleared += 1
    OffRollingSignal.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    OffRollingSignal.objects.bulk_update(
        changed, ["summary", "evidence", "cleared_on"], batch_size=1000
    )
    result.created, result.updated = len(new), len(changed) - result.cleared
    return result


@transaction.atomic
def offrolling_signal_dismiss(
    *, actor: User, signal: OffRollingSignal, reason: str
) -> OffRollingSignal:
    """The authority decides a signal needs no action, saying why; it stays dismissed."""
    if not reason.strip():
        raise ApplicationError(DISMISS_REASON_REQUIRED, code="reason_required")
    locked = OffRollingSignal.objects.select_for_update().get(pk=signal.pk)
    if locked.dismissed_at is not None:
        raise ApplicationError(ALREADY_DISMISSED, code="already_dismissed")
    locked.dismissed_at, locked.dismissed_by = timezone.now(), actor
    locked.dismissed_reason = reason.strip()
    locked.save(update_fields=["dismissed_at", "dismissed_by", "dismissed_reason"])
    audit_record(
        actor=actor,
        action=AuditAction.RETURN_SIGNAL_DISMISSED,
        obj=locked,
        detail={"kind": locked.kind, "key": locked.key, "reason": locked.dismissed_reason},
    )
    return locked
