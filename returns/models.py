"""Statutory returns (reg 13; KSAH §24; DOMAIN §8): who needs a return, per school and per
episode, and each school's return periods with their due dates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from schools.models import Alert, Pupil, School


class ReturnPeriod(models.Model):
    """One school's return period (a term, or a month under the monthly cycle) and the date
    its return is due (DOMAIN §8 [LA setting])."""

    class Cycle(models.TextChoices):
        TERMLY = "termly", "Termly"
        SIX_TERMS = "six_terms", "Each of six terms"
        MONTHLY = "monthly", "Monthly"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="return_periods")
    cycle = models.CharField(max_length=10, choices=Cycle.choices)
    starts = models.DateField()
    ends = models.DateField()
    due_on = models.DateField(
        null=True, blank=True, help_text="Empty while the next term's dates are not loaded."
    )
    nil_return_on = models.DateTimeField(
        null=True, blank=True, help_text="When the school confirmed it had no pupils to return."
    )
    nil_return_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "cycle", "starts"], name="unique_return_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.starts}-{self.ends}"


class ReturnEntry(models.Model):
    """One pupil's episode that needs a return (one per episode, DOMAIN §8)."""

    class Kind(models.TextChoices):
        ATTENDANCE = "attendance", "Attendance return"
        SICKNESS_CONSECUTIVE = "sickness_consecutive", "Sickness return: 15 days in a row"
        SICKNESS_TOTAL = "sickness_total", "Sickness return: 15 days this school year"
        IRREGULAR = "irregular", "Attendance return: fails to attend regularly"

    class Status(models.TextChoices):
        DUE = "due", "To return"
        RETURNED = "returned", "Returned"
        NOT_NEEDED = "not_needed", "Not needed"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="return_entries")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="return_entries")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    episode_key = models.CharField(
        max_length=40, help_text="Which episode: its first day, or 'total:<year>'."
    )
    alert = models.ForeignKey(
        Alert, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    period = models.ForeignKey(
        ReturnPeriod, on_delete=models.SET_NULL, null=True, blank=True, related_name="entries"
    )
    absence_from = models.DateField(null=True, blank=True)
    absence_to = models.DateField(null=True, blank=True)
    sessions = models.PositiveIntegerField(default=0)
    met_on = models.DateField(help_text="When the criterion was met (or the school added it).")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DUE)
    reason = models.TextField(blank=True, help_text="Why the school added it, or why not needed.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_reference = models.CharField(max_length=40, blank=True)
    returned_flags = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "pupil__surname"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "pupil", "kind", "episode_key"], name="unique_return_entry"
            )
        ]
        indexes = [models.Index(fields=["school", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.pupil_id} {self.episode_key}"


class OffRollingSignal(models.Model):
    """A sign a pupil may have been off-rolled (reg 9; KSAH §22-24; DOMAIN §9), found by the
    nightly task from deletion returns, CME enquiries, register imports and lost-pupil CTFs.
    One per kind and key: a re-run finds it again and creates nothing; a dismissed signal
    stays dismissed; an open one no longer found is marked cleared."""

    class Kind(models.TextChoices):
        NO_VALID_GROUND = "no_valid_ground", "Deletion without a valid ground"
        CME_INCOMPLETE = "cme_incomplete", "Deleted before CME enquiries were complete"
        SPECIAL_NO_AGREEMENT = "special_no_agreement", "Special school deletion without agreement"
        STOPPED_APPEARING = "stopped_appearing", "Stopped appearing in register imports"
        LATE_LOST_CTF = "late_lost_ctf", "Lost-pupil CTF sent late"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    key = models.CharField(max_length=80, help_text="What it is about: 'submission:12', ...")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    summary = models.TextField()
    evidence = models.JSONField(default=list, help_text="[{label, value, url}]")
    occurred_on = models.DateField(help_text="The deletion, last mark or leaving day.")
    found_on = models.DateField()
    cleared_on = models.DateField(
        null=True, blank=True, help_text="When a later run no longer found it."
    )
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dismissed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-occurred_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="unique_offrolling_signal")
        ]
        indexes = [models.Index(fields=["school", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.key}"

    @property
    def is_open(self) -> bool:
        return self.dismissed_at is None and self.cleared_on is None
