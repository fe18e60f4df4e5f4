"""Penalty notices and notices to improve, issued here or imported from elsewhere (DOMAIN §5).

Records a notice must keep (Education (Penalty Notices) (England) Regulations 2007 reg 20):
the notice, payments and their dates, a withdrawal and its ground, whether the parent was
prosecuted. The vocabularies live in `penalties.decision`, the pure rule that reads them.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

from penalties.vocabulary import Case, NoticeStatus, WithdrawnGround
from schools.models import Parent, Pupil


class PenaltyNotice(models.Model):
    """One notice to one parent for one child. A notice to improve is a row whose
    `issued_on` is the day it was deemed received (its 20-school-day period starts after it)."""

    class Source(models.TextChoices):
        IMPORTED = "imported", "Imported (previous system or another authority)"
        ISSUED = "issued", "Issued by this service"

    CASES = [
        (Case.LEAVE.value, "Leave of absence not authorised (G)"),
        (Case.UNAUTHORISED.value, "Unauthorised absence"),
        (Case.EXCLUSION.value, "Public place during an exclusion"),
        (Case.NOTICE_TO_IMPROVE.value, "Notice to improve"),
    ]
    STATUSES = [
        (NoticeStatus.ISSUED.value, "Issued (in its payment period)"),
        (NoticeStatus.PAID.value, "Paid"),
        (NoticeStatus.UNPAID.value, "Unpaid"),
        (NoticeStatus.WITHDRAWN.value, "Withdrawn"),
    ]
    WITHDRAWN_GROUNDS = [
        (WithdrawnGround.NOT_PROPERLY_ISSUED.value, "Should not have been issued"),
        (WithdrawnGround.WRONG_PERSON.value, "Issued to the wrong person"),
        (WithdrawnGround.MATERIAL_ERROR.value, "Contains a material error"),
    ]

    reference = models.CharField(max_length=40, unique=True)
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="penalty_notices")
    parent = models.ForeignKey(Parent, on_delete=models.PROTECT, related_name="penalty_notices")
    case = models.CharField(max_length=20, choices=CASES)
    issued_on = models.DateField(
        help_text="The day of issue; for a notice to improve, the day it was deemed received."
    )
    status = models.CharField(max_length=10, choices=STATUSES, default=NoticeStatus.ISSUED.value)
    paid_on = models.DateField(null=True, blank=True)
    amount_paid = models.PositiveIntegerField(
        "amount paid (pence)", null=True, blank=True, help_text="Whole pence."
    )
    convicted = models.BooleanField(
        default=False, help_text="Unpaid, prosecuted, and the parent pleaded or was found guilty."
    )
    withdrawn_ground = models.CharField(max_length=20, choices=WITHDRAWN_GROUNDS, blank=True)
    local_authority = models.CharField(
        "LA number",
        max_length=3,
        validators=[RegexValidator(r"^\d{3}$", "An LA number is 3 digits.")],
        help_text="The authority that issued the notice.",
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-issued_on", "reference"]
        indexes = [models.Index(fields=["parent", "pupil", "issued_on"])]
        constraints = [
            # A withdrawal always records its ground (reg 20), and only a withdrawal has one.
            models.CheckConstraint(
                condition=(
                    models.Q(status=NoticeStatus.WITHDRAWN.value) & ~models.Q(withdrawn_ground="")
                )
                | (~models.Q(status=NoticeStatus.WITHDRAWN.value) & models.Q(withdrawn_ground="")),
                name="penalty_notice_withdrawn_ground",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.case}, {self.status})"
