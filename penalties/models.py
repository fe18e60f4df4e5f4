"""Penalty notices and notices to improve, issued here or imported from elsewhere (DOMAIN §5).

Records a notice must keep (Education (Penalty Notices) (England) Regulations 2007 reg 20):
the notice, payments and their dates, a withdrawal and its ground, whether the parent was
prosecuted. The vocabularies live in `penalties.decision`, the pure rule that reads them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from penalties.vocabulary import Case, NoticeStatus, ProsecutionOutcome, WithdrawnGround
from schools.models import Parent, Pupil, School


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


# --- the Courts Team's work (issue 11 items 5-8) -------------------------------------------------
class NoticeIssue(models.Model):
    """What this service adds to a notice it issues itself (reg 20's copy of the notice): how
    and when it was delivered, the amounts and deadlines the rule gave, the threshold window
    printed on the letter, and the end of its period. One row per issued notice."""

    notice = models.OneToOneField(PenaltyNotice, on_delete=models.CASCADE, related_name="issue")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    notice_number = models.PositiveSmallIntegerField(null=True, blank=True)
    delivery = models.CharField(max_length=4, choices=[("post", "Post"), ("hand", "By hand")])
    received_on = models.DateField(help_text="Deemed receipt (post) or the day handed over.")
    reduced_amount = models.PositiveIntegerField(null=True, blank=True, help_text="Pounds.")
    full_amount = models.PositiveIntegerField(help_text="Pounds.")
    reduced_by = models.DateField(null=True, blank=True)
    full_by = models.DateField()
    threshold = models.JSONField(null=True, blank=True, help_text="The window on the letter.")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Item 8: the period ended unpaid: the Courts Team decides (prosecute s.444 or withdraw).
    awaiting_decision = models.BooleanField(default=False, db_index=True)
    prosecuted = models.BooleanField(default=False)
    # The prosecution's outcome, recorded by the Courts Team (a conviction makes the unpaid
    # notice count in the escalation: PenaltyNotice.convicted).
    prosecution_outcome = models.CharField(
        max_length=10,
        blank=True,
        choices=[
            (ProsecutionOutcome.CONVICTED.value, "Convicted"),
            (ProsecutionOutcome.ACQUITTED.value, "Acquitted"),
            (ProsecutionOutcome.WITHDRAWN.value, "Prosecution withdrawn"),
        ],
    )
    outcome_on = models.DateField("outcome date", null=True, blank=True)
    refund_due = models.BooleanField(default=False)
    payment_flag = models.CharField(
        max_length=10,
        blank=True,
        choices=[("under", "Underpaid"), ("over", "Overpaid"), ("late", "Paid after the period")],
    )

    def __str__(self) -> str:
        return f"{self.notice.reference} ({self.delivery})"


class NoticeEvent(models.Model):
    """Every status change of a notice, with who and when (the notice's timeline)."""

    notice = models.ForeignKey(PenaltyNotice, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30)
    message = models.TextField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField(default=timezone.now)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.kind}"


class PenaltyRequest(models.Model):
    """A school's penalty notice request, handed down by the Digital Front Door when it is
    sent (the pupil, the case, the dates it states, the parents it names, the conditions the
    front door checked). Penalties never reads referrals: this is its own copy."""

    submission_reference = models.CharField(max_length=20, unique=True)
    submission_id = models.PositiveIntegerField(null=True, blank=True)
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="penalty_requests")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="penalty_requests")
    case = models.CharField(max_length=20, choices=PenaltyNotice.CASES[:3])
    leave_from = models.DateField(null=True, blank=True)
    leave_to = models.DateField(null=True, blank=True)
    seen_on = models.DateField(null=True, blank=True)
    conditions = models.JSONField(default=list, blank=True, help_text="The front door's checks.")
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-received_at", "pk"]

    def __str__(self) -> str:
        return f"{self.submission_reference} ({self.case})"


class RequestParent(models.Model):
    """One parent named on a request, and the Courts Team's decision for them (DOMAIN §5:
    per parent per child)."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Not decided yet"
        ISSUED = "issued", "Notice issued"
        REFUSED = "refused", "Refused"
        ROUTED = "routed", "Routed to other legal intervention"

    class Route(models.TextChoices):
        NONE = "", "None"
        OTHER_LEGAL = "other_legal", "Other legal intervention (no third notice)"
        SJP = "sjp", "Prosecution by the Single Justice Procedure (third G leave case)"

    request = models.ForeignKey(PenaltyRequest, on_delete=models.CASCADE, related_name="parents")
    position = models.PositiveSmallIntegerField()
    parent = models.ForeignKey(
        Parent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=150)
    address = models.TextField(blank=True)
    stated_previous_notices = models.CharField(max_length=2, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    reason = models.TextField(blank=True, help_text="Shown to the school.")
    route = models.CharField(max_length=12, choices=Route.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    notice = models.OneToOneField(
        PenaltyNotice, on_delete=models.PROTECT, null=True, blank=True, related_name="requested"
    )

    class Meta:
        ordering = ["request", "position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="request_parent_once")
        ]

    def __str__(self) -> str:
        return f"{self.request_id}/{self.position} {self.name}"


class NoticePayment(models.Model):
    """A payment against a notice, recorded by hand or imported from the payment platform's
    CSV (`reference,paid_on,amount`). Whole pence. An imported row is unique by (notice,
    paid_on, amount, platform line key), so a re-sent file adds nothing."""

    class Source(models.TextChoices):
        HAND = "hand", "Recorded by hand"
        IMPORT = "import", "Payment platform file"

    notice = models.ForeignKey(PenaltyNotice, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField()
    amount = models.PositiveIntegerField("amount (pence)")
    source = models.CharField(max_length=6, choices=Source.choices)
    key = models.CharField(max_length=80, unique=True, help_text="Makes a payment count once.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["paid_on", "pk"]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.amount}p {self.paid_on}"


class NoticeToImprove(models.Model):
    """A notice to improve the school issued from the pupil's record (DOMAIN §5; KSAH §15 iv):
    its notice row (case `notice_to_improve`, `issued_on` = deemed receipt) and its
    20-school-day improvement period on the school's calendar."""

    notice = models.OneToOneField(
        PenaltyNotice, on_delete=models.CASCADE, related_name="improvement"
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    posted_on = models.DateField()
    delivery = models.CharField(max_length=4, choices=[("post", "Post"), ("hand", "By hand")])
    received_on = models.DateField()
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(
        null=True, blank=True, help_text="Empty while the school's term dates do not reach it."
    )
    support_given = models.TextField()
    support_available = models.TextField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return self.notice.reference
