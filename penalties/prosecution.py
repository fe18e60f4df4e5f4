"""The outcome of a prosecution for an unpaid notice (issue 11 item 8; DOMAIN §5): the Courts
Team records convicted, acquitted or withdrawn, with the date, once the notice is marked for
prosecution under EA96 s.444. A conviction sets the notice's `convicted`, so the unpaid notice
then counts in the parent's escalation (`penalties.decision.counts_for_escalation`)."""

from __future__ import annotations

from datetime import date
from typing import Final

from django.db import transaction
from django.utils import timezone

from kpas.base.audit import AuditAction, audit_record
from kpas.base.errors import ApplicationError, Conflict
from kpas.base.models import User
from penalties.models import NoticeIssue, PenaltyNotice
from penalties.services import notice_event
from penalties.vocabulary import ProsecutionOutcome

NOT_PROSECUTED: Final = "Notice {reference} is not being prosecuted: mark it for prosecution first."
OUTCOME_RECORDED: Final = "The outcome of the prosecution for notice {reference} is recorded."
BAD_OUTCOME: Final = "Choose the outcome: convicted, acquitted or withdrawn."
BAD_DATE: Final = "Enter the date of the outcome: on or after {issued}, and not in the future."
OUTCOME_LABELS: Final = {
    ProsecutionOutcome.CONVICTED: "Convicted",
    ProsecutionOutcome.ACQUITTED: "Acquitted",
    ProsecutionOutcome.WITHDRAWN: "Prosecution withdrawn",
}


@transaction.atomic
def notice_prosecution_outcome(
    *, actor: User, notice: PenaltyNotice, outcome: str, on: date | None
) -> PenaltyNotice:
    """Record the prosecution's outcome once (a second record is refused: a court's decision
    is changed by an appeal, recorded by the service admin, not a click)."""
    if outcome not in set(ProsecutionOutcome):
        raise ApplicationError(BAD_OUTCOME, code="outcome")
    locked = PenaltyNotice.objects.select_for_update().get(pk=notice.pk)
    issue = NoticeIssue.objects.select_for_update().get(notice=locked)
    if not issue.prosecuted:
        raise Conflict(NOT_PROSECUTED.format(reference=locked.reference))
    if issue.prosecution_outcome:
        raise Conflict(OUTCOME_RECORDED.format(reference=locked.reference))
    if on is None or on < locked.issued_on or on > timezone.localdate():
        raise ApplicationError(BAD_DATE.format(issued=locked.issued_on), code="date")
    issue.prosecution_outcome, issue.outcome_on = outcome, on
    issue.save(update_fields=["prosecution_outcome", "outcome_on"])
    locked.convicted = outcome == ProsecutionOutcome.CONVICTED
    locked.save(update_fields=["convicted", "updated_at"])
    label = OUTCOME_LABELS[ProsecutionOutcome(outcome)]
    counts = " The unpaid notice now counts in the escalation." if locked.convicted else ""
    notice_event(
        locked,
        kind="prosecution_outcome",
        message=f"{label} on {on:%-d %B %Y}.{counts}",
        actor=actor,
        outcome=outcome,
        on=on.isoformat(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.PENALTY_PROSECUTION_OUTCOME,
        obj=locked,
        detail={"reference": locked.reference, "outcome": outcome, "on": on.isoformat()},
    )
    return locked
