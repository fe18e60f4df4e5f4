"""The facts the returns app's off-rolling signals read from the Digital Front Door and the
casework (returns.deletion_facts): sent deletion returns (pathway 4) and CME enquiries the
authority confirmed complete. Registered in ReferralsConfig.ready(); one query each."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone

from referrals.cases.models import Case
from referrals.cases.rules import CaseKind
from referrals.models import Submission
from referrals.rules import ClosingOutcome
from returns.deletion_facts import CmeEnquiryFact, DeletionReturnFact

DELETION_PATHWAY = "deletion-from-admission-register"
CME_PATHWAY = "child-missing-education"


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _yes(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def deletion_returns(since: date) -> Iterator[DeletionReturnFact]:
    found = (
        Submission.objects.sent()
        .filter(pathway=DELETION_PATHWAY, submitted_at__date__gte=since)
        .values("pk", "reference", "school_id", "pupil_id", "pupil_upn", "answers", "submitted_at")
    )
    for row in found.iterator():
        answers = row["answers"] or {}
        yield DeletionReturnFact(
            source_id=row["pk"],
            reference=row["reference"] or "",
            url=reverse("referrals:submission", kwargs={"reference": row["reference"]}),
            school_id=row["school_id"],
            pupil_id=row["pupil_id"],
            upn=row["pupil_upn"] or str(answers.get("upn") or ""),
            ground=str(answers.get("ground") or ""),
            deletion_date=_day(answers.get("deletion_date")),
            sent_on=timezone.localdate(row["submitted_at"]),
            pupil_dob=_day(answers.get("pupil_dob")),
            forwarding_address_known=_yes(answers.get("forwarding_address_known")),
            la_agreement=_yes(answers.get("la_agreement")),
        )


def cme_enquiries_complete() -> Iterator[CmeEnquiryFact]:
    """A CME case the authority moved to "advise deletion" (confirmed_on: the day it
    confirmed its enquiries complete), and a CME notification closed with deletion advised."""
    for case in Case.objects.filter(kind=CaseKind.CME, pupil__isnull=False).values(
        "pk", "pupil_id", "data"
    ):
        confirmed = _day(((case["data"] or {}).get("advise_deletion") or {}).get("confirmed_on"))
        if confirmed is not None:
            yield CmeEnquiryFact(
                pupil_id=case["pupil_id"],
                complete_on=confirmed,
                label=f"CME case {case['pk']}",
                url=reverse("cases:case", kwargs={"pk": case["pk"]}),
            )
    for row in Submission.objects.filter(
        pathway=CME_PATHWAY,
        pupil__isnull=False,
        closing_outcome=ClosingOutcome.DELETION_ADVISED,
        deletion_advised_on__isnull=False,
    ).values("pupil_id", "reference", "deletion_advised_on"):
        yield CmeEnquiryFact(
            pupil_id=row["pupil_id"],
            complete_on=row["deletion_advised_on"],
            label=str(row["reference"]),
            url=reverse("referrals:submission", kwargs={"reference": row["reference"]}),
        )
