"""A case and its timeline. The state machine is in rules.py/machines.py; the data each
transition needed is kept on the case (`data`) and on its timeline event."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from referrals.cases.rules import CaseKind
from referrals.models import Submission
from schools.models import Pupil, School


class Case(models.Model):
    Kind = CaseKind

    kind = models.CharField(max_length=20, choices=CaseKind.choices)
    status = models.CharField(max_length=30)
    submission = models.OneToOneField(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="case"
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="cases")
    pupil = models.ForeignKey(
        Pupil, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    data = models.JSONField(default=dict, blank=True)
    due_on = models.DateField(null=True, blank=True, help_text="The next deadline, if any.")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["officer", "status"]),
            models.Index(fields=["school", "kind"]),
            models.Index(fields=["pupil", "kind"]),
        ]

    def __str__(self) -> str:
        return f"Case {self.pk} ({self.get_kind_display()})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CaseEvent(models.Model):
    """One entry on a case's timeline: a move, a note, a meeting, a letter or a document."""

    class Kind(models.TextChoices):
        OPENED = "opened", "Opened"
        TRANSITION = "transition", "Moved"
        MEETING = "meeting", "Meeting"
        LETTER = "letter", "Letter"
        DOCUMENT = "document", "Document"
        NOTE = "note", "Note"
        ALLOCATED = "allocated", "Allocated"
        CLOSURE_PROPOSED = "closure_proposed", "Closure proposed"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    action = models.CharField(max_length=40, blank=True)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    # Internal unless the officer chose to share it with the school.
    shared = models.BooleanField(default=False)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.occurred_at:%Y-%m-%d %H:%M}"


class CaseReminder(models.Model):
    """A due or overdue reminder, created once per case, kind and deadline by the daily task
    (the unique constraint makes a second run harmless)."""

    class Kind(models.TextChoices):
        DUE = "due", "Due soon"
        OVERDUE = "overdue", "Overdue"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_on = models.DateField()
    created_on = models.DateField()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "due_on"], name="one_reminder_per_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.due_on}"
