"""Payments and the end of the payment period (issue 11 item 8): payments recorded by hand or
imported, the notice's status and flags recomputed from them by the pure rule
(`penalties.rules.payment_assessment`), the nightly move of notices whose period ended unpaid
to the Courts Team's "decide" list, and the decision: prosecute (EA96 s.444) or withdraw.
Every status change writes a NoticeEvent with who and when, and an audit row."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Final

from django.db import transaction
from django.db.models import Sum

from kpas.base.audit import AuditAction, audit_record
from kpas.base.errors import ApplicationError, Conflict
from kpas.base.models import User
from penalties.models import NoticeEvent, NoticeIssue, NoticePayment, PenaltyNotice
from penalties.rules import payment_assessment, period_ended_unpaid
from penalties.services import notice_event
from penalties.vocabulary import NoticeStatus, WithdrawnGround

NOT_OPEN: Final = "Notice {reference} is {status}: {action} is not possible."
NOT_AWAITING: Final = "Notice {reference} is not waiting for a decision."
BAD_GROUND: Final = "Choose the ground for withdrawing the notice."
BAD_AMOUNT: Final = "Enter an amount of at least 1p."


def _assess(notice: PenaltyNotice, issue: NoticeIssue, *, actor: User | None) -> None:
    """Recompute the notice's payment state from all its payments (idempotent)."""
    total = notice.payments.aggregate(total=Sum("amount"))["total"] or 0
    last = notice.payments.order_by("-paid_on").values_list("paid_on", flat=True).first()
    if last is None:
        return
    result = payment_assessment(
        paid_on=last,
        total_pence=total,
        reduced_amount=issue.reduced_amount,
        full_amount=issue.full_amount,
        reduced_by=issue.reduced_by,
        full_by=issue.full_by,
    )
    notice.amount_paid, notice.paid_on = total, last
    issue.payment_flag = result.flag.value
    if result.flag == "over" or result.flag == "late":
        issue.refund_due = True
    if result.discharged and notice.status != NoticeStatus.PAID:
        notice.status = NoticeStatus.PAID
        issue.awaiting_decision = False
        notice_event(
            notice,
            kind="paid",
            message=f"Paid £{total / 100:.2f} by {last} (due £{result.due_pence / 100:.2f}).",
            actor=actor,
        )
    notice.save(update_fields=["amount_paid", "paid_on", "status", "updated_at"])
    issue.save(update_fields=["payment_flag", "refund_due", "awaiting_decision"])


@transaction.atomic
def payment_record(
    *,
    actor: User | None,
    notice: PenaltyNotice,
    paid_on: date,
    amount_pence: int,
    key: str | None = None,
    source: str = NoticePayment.Source.HAND,
) -> NoticePayment:
    """Record one payment (a repeated key records nothing new) and reassess the notice."""
    if amount_pence < 1:
        raise ApplicationError(BAD_AMOUNT, code="amount")
    locked = PenaltyNotice.objects.select_for_update().get(pk=notice.pk)
    if locked.status == NoticeStatus.WITHDRAWN:
        raise Conflict(
            NOT_OPEN.format(reference=locked.reference, status="withdrawn", action="payment")
        )
    key = key or f"hand:{uuid.uuid4()}"
    payment, created = NoticePayment.objects.get_or_create(
        key=key,
        defaults={
            "notice": locked,
            "paid_on": paid_on,
            "amount": amount_pence,
            "source": source,
            "recorded_by": actor,
        },
    )
    if created:
        notice_event(
            locked,
            kind="payment",
            message=f"Payment of £{amount_pence / 100:.2f} on {paid_on} ({source}).",
            actor=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.PENALTY_PAYMENT_RECORDED,
            obj=locked,
            detail={"reference": locked.reference, "amount": amount_pence, "paid_on": str(paid_on)},
        )
        _assess(locked, NoticeIssue.objects.get(notice=locked), actor=actor)
    return payment


# --- the end of the period --------------------------------------------------------------------
@transaction.atomic
def notices_period_end(*, today: date) -> int:
    """Notices whose 28-day period ended unpaid become `unpaid` and wait in the Courts Team's
    "decide" list. Set-based; running it twice changes nothing the second time."""
    candidates = list(
        NoticeIssue.objects.select_for_update(of=("self",))
        .filter(
            notice__status=NoticeStatus.ISSUED,
            awaiting_decision=False,
            full_by__lt=today,
        )
        .select_related("notice")
    )
    ended = [
        i
        for i in candidates
        if period_ended_unpaid(today=today, full_by=i.full_by, discharged=False)
    ]
    if not ended:
        return 0
    ids = [i.notice_id for i in ended]
    PenaltyNotice.objects.filter(pk__in=ids).update(status=NoticeStatus.UNPAID)
    NoticeIssue.objects.filter(pk__in=[i.pk for i in ended]).update(awaiting_decision=True)
    NoticeEvent.objects.bulk_create(
        NoticeEvent(
            notice_id=i.notice_id,
            kind="unpaid",
            message=f"The payment period ended on {i.full_by} unpaid: prosecute or withdraw.",
        )
        for i in ended
    )
    for issue in ended:
        audit_record(
            actor=None,
            action=AuditAction.PENALTY_NOTICE_UNPAID,
            obj=issue.notice,
            detail={"reference": issue.notice.reference},
        )
    return len(ended)


def _lock(notice: PenaltyNotice) -> tuple[PenaltyNotice, NoticeIssue]:
    locked = PenaltyNotice.objects.select_for_update().get(pk=notice.pk)
    return locked, NoticeIssue.objects.select_for_update().get(notice=locked)


@transaction.atomic
def notice_prosecute(*, actor: User, notice: PenaltyNotice) -> PenaltyNotice:
    """Prosecute the original offence (EA96 s.444): non-payment is not itself an offence."""
    locked, issue = _lock(notice)
    if not issue.awaiting_decision:
        raise Conflict(NOT_AWAITING.format(reference=locked.reference))
    issue.awaiting_decision, issue.prosecuted = False, True
    issue.save(update_fields=["awaiting_decision", "prosecuted"])
    notice_event(locked, kind="prosecuted", message="Prosecution under EA96 s.444.", actor=actor)
    audit_record(
        actor=actor,
        action=AuditAction.PENALTY_NOTICE_PROSECUTED,
        obj=locked,
        detail={"reference": locked.reference},
    )
    return locked


@transaction.atomic
def notice_withdraw(*, actor: User, notice: PenaltyNotice, ground: str) -> PenaltyNotice:
    """Withdraw on one of the grounds (reg 20; DOMAIN §5); money paid is refunded."""
    if ground not in set(WithdrawnGround):
        raise ApplicationError(BAD_GROUND, code="ground")
    locked, issue = _lock(notice)
    if locked.status in (NoticeStatus.WITHDRAWN, NoticeStatus.PAID):
        raise Conflict(
            NOT_OPEN.format(reference=locked.reference, status=locked.status, action="withdrawal")
        )
    locked.status, locked.withdrawn_ground = NoticeStatus.WITHDRAWN, ground
    locked.save(update_fields=["status", "withdrawn_ground", "updated_at"])
    issue.awaiting_decision = False
    issue.refund_due = bool(locked.amount_paid)
    issue.save(update_fields=["awaiting_decision", "refund_due"])
    label = dict(PenaltyNotice.WITHDRAWN_GROUNDS)[ground]
    notice_event(
        locked,
        kind="withdrawn",
        message=f"Withdrawn: {label}." + (" Refund due." if issue.refund_due else ""),
        actor=actor,
        ground=ground,
    )
    audit_record(
        actor=actor,
        action=AuditAction.PENALTY_NOTICE_WITHDRAWN,
        obj=locked,
        detail={"reference": locked.reference, "ground": ground},
    )
    return locked


def payments_import(
    *, rows: Iterable[tuple[str, date, int, str]], actor: User | None
) -> tuple[int, int]:
    """Apply parsed payment rows (reference, paid_on, pence, key); returns (new, repeated)."""
    new = repeated = 0
    notices = {}
    rows = list(rows)
    for notice in PenaltyNotice.objects.filter(reference__in={r[0] for r in rows}):
        notices[notice.reference] = notice
    known = set(
        NoticePayment.objects.filter(key__in=[r[3] for r in rows]).values_list("key", flat=True)
    )
    for reference, paid_on, pence, key in rows:
        if key in known:
            repeated += 1
            continue
        payment_record(
            actor=actor,
            notice=notices[reference],
            paid_on=paid_on,
            amount_pence=pence,
            key=key,
            source=NoticePayment.Source.IMPORT,
        )
        new += 1
    return new, repeated
