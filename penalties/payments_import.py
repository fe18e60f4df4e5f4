"""The payment platform's file, `reference,paid_on,amount`, through the import registry
(validated whole, atomic, idempotent, `line N: reason`). `amount` is pounds with up to 2
decimals. Identical rows in one file are separate payments; a re-sent file adds nothing
(each row's key is its reference, date, amount and its occurrence in the file)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any, BinaryIO, Final

from django.utils import timezone

from penalties.history_import import _pence
from penalties.models import PenaltyNotice
from schools.import_registry import ImportKind, Uploaders, import_kind_register
from schools.imports.common import (
    Counts,
    Outcome,
    Prepared,
    RowError,
    open_csv,
    parse_iso_date,
)

KIND: Final = "notice_payments"
UNKNOWN_REFERENCE: Final = "reference: no notice issued by this service has reference {value!r}"
FUTURE: Final = "paid_on: {value} is in the future"
NOT_POSITIVE: Final = "amount: must be more than 0"


def payments_parse(
    data: BinaryIO | bytes, *, today: date
) -> tuple[list[tuple[str, date, int, str]], list[RowError]]:
    table = open_csv(data, required=("reference", "paid_on", "amount"))
    col = table.columns
    errors: list[RowError] = []
    parsed: list[tuple[int, str, date, int]] = []
    for line, fields in table.rows(errors):
        reference = fields[col["reference"]].strip()
        problems = []
        paid_on = amount = None
        try:
            paid_on = parse_iso_date("paid_on", fields[col["paid_on"]].strip())
            if paid_on > today:
                problems.append(FUTURE.format(value=paid_on))
        except ValueError as exc:
            problems.append(str(exc))
        try:
            amount = _pence(fields[col["amount"]])
            if amount < 1:
                problems.append(NOT_POSITIVE)
        except ValueError as exc:
            problems.append(str(exc))
        errors.extend(RowError(line, p) for p in problems)
        if not problems and paid_on is not None and amount is not None:
            parsed.append((line, reference, paid_on, amount))
    known = set(
        PenaltyNotice.objects.filter(
            reference__in={r[1] for r in parsed}, source=PenaltyNotice.Source.ISSUED
        ).values_list("reference", flat=True)
    )
    seen: Counter[tuple[str, date, int]] = Counter()
    rows = []
    for line, reference, paid_on, amount in parsed:
        if reference not in known:
            errors.append(RowError(line, UNKNOWN_REFERENCE.format(value=reference)))
            continue
        seen[(reference, paid_on, amount)] += 1
        n = seen[(reference, paid_on, amount)]
        rows.append((reference, paid_on, amount, f"import:{reference}:{paid_on}:{amount}:{n}"))
    return rows, sorted(errors, key=lambda e: e.line)


class PaymentsImport(Prepared):
    def __init__(
        self, data: BinaryIO | bytes, *, school: Any = None, authority: bool = False
    ) -> None:
        self.rows, self.errors = payments_parse(data, today=timezone.localdate())
        self.rows_total = len(self.rows)

    def preview(self) -> dict[str, Any]:
        from penalties.models import NoticePayment

        known = set(
            NoticePayment.objects.filter(key__in=[r[3] for r in self.rows]).values_list(
                "key", flat=True
            )
        )
        counts = Counts()
        counts.add("payments", "added", sum(1 for r in self.rows if r[3] not in known))
        counts.add("payments", "unchanged", sum(1 for r in self.rows if r[3] in known))
        return counts.as_dict()

    def apply(self, batch: Any) -> Outcome:
        counts = self.preview()
        # Imported here: the registry loads this module at start-up, the services need NumPy.
        from penalties.payments import payments_import

        actor = getattr(batch, "uploaded_by", None)
        new, _ = payments_import(rows=self.rows, actor=actor)
        return Outcome(counts=counts, rows_done=new)


def register_payment_import() -> None:
    import_kind_register(
        ImportKind(
            kind=KIND,
            label="Penalty notice payments (CSV)",
            prepare=PaymentsImport,
            uploaders=Uploaders.AUTHORITY,
            hint="CSV from the payment platform: reference, paid_on, amount",
        )
    )
