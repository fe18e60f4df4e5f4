"""What the off-rolling signals read from the floor above (ADR 0008): the Digital Front Door's
deletion returns (pathway 4) and the authority's completed child-missing-education enquiries
(referrals.cases). `returns` sits below `referrals`, so it never imports it: referrals
registers a source for each in its AppConfig.ready(), and the nightly task asks every
registered source once (one query each, whatever the number of pupils).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DeletionReturnFact:
    """One sent deletion return (pathway 4), as the school answered it."""

    source_id: int  # the submission's id
    reference: str
    url: str  # where the authority reads it
    school_id: int | None
    pupil_id: int | None
    upn: str
    ground: str  # "1a".."1o", "3a".."3e", or whatever was sent
    deletion_date: date | None
    sent_on: date
    pupil_dob: date | None = None
    forwarding_address_known: bool | None = None
    la_agreement: bool | None = None  # asked only for 1(f) at a special school


@dataclass(frozen=True)
class CmeEnquiryFact:
    """The authority's CME enquiries for a pupil, confirmed complete on a day."""

    pupil_id: int
    complete_on: date
    label: str  # "Case 12" / "DFD-2026-000004"
    url: str


DeletionSource = Callable[[date], Iterable[DeletionReturnFact]]  # (since) -> facts
CmeSource = Callable[[], Iterable[CmeEnquiryFact]]
_DELETIONS: dict[str, DeletionSource] = {}
_CME: dict[str, CmeSource] = {}


def deletion_source_register(name: str, source: DeletionSource) -> None:
    _DELETIONS[name] = source


def cme_source_register(name: str, source: CmeSource) -> None:
    _CME[name] = source


def deletion_returns_since(since: date) -> list[DeletionReturnFact]:
    return [fact for source in _DELETIONS.values() for fact in source(since)]


def cme_completions() -> dict[int, list[CmeEnquiryFact]]:
    """Each pupil's completed CME enquiries, oldest first."""
    found: dict[int, list[CmeEnquiryFact]] = {}
    for source in _CME.values():
        for fact in source():
            found.setdefault(fact.pupil_id, []).append(fact)
    return {k: sorted(v, key=lambda f: f.complete_on) for k, v in found.items()}
