"""Targeting Support Meetings: each school's plan for a school year and its meetings
(DOMAIN §12; KSAH §15 ii)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from kpas.tsm.rules import Basis, Frequency
from schools.models import School


class TsmPlan(models.Model):
    """How often the authority meets one school in one school year, and why."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="tsm_plans")
    academic_year = models.PositiveSmallIntegerField()
    frequency = models.CharField(max_length=10, choices=[(f, f.title()) for f in Frequency])
    basis = models.CharField(max_length=30, choices=[(b, b.replace("_", " ")) for b in Basis])
    # The figures the frequency was decided on (sessions, and the published percentage).
    attended = models.PositiveIntegerField(default=0)
    possible = models.PositiveIntegerField(default=0)
    figures_period = models.CharField(max_length=60, blank=True)
    national_percent = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    school_asked_termly = models.BooleanField(default=False)
    decided_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "academic_year"], name="unique_tsm_plan")
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.academic_year}: {self.frequency}"

    @property
    def attendance_percent(self) -> float | None:
        return None if not self.possible else 100 * self.attended / self.possible


class Meeting(models.Model):
    """One Targeting Support Meeting, proposed by the system and agreed or moved by both
    sides."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        AGREED = "agreed", "Agreed"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "No longer needed"

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person at the school"
        ONLINE = "online", "Online"

    plan = models.ForeignKey(TsmPlan, on_delete=models.CASCADE, related_name="meetings")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="tsm_meetings")
    sequence = models.PositiveSmallIntegerField(help_text="The year's 1st, 2nd or 3rd meeting.")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tsm_meetings",
    )
    date = models.DateField(null=True, blank=True, help_text="Empty: no day had room.")
    window_start = models.DateField()
    window_end = models.DateField()
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    agreed_by_school = models.BooleanField(default=False)
    agreed_by_officer = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "sequence"], name="unique_tsm_meeting_sequence")
        ]
        indexes = [models.Index(fields=["officer", "date"])]

    def __str__(self) -> str:
        return f"TSM {self.sequence} at {self.school} on {self.date}"


class Record(models.Model):
    """The TSM Record of Consultation (KSAH §15 ii): kept by both sides, the school's the
    original. Cohort-level only: pupils are never named in it (KSAH §25; DOMAIN §12)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="record")
    attendees = models.TextField("who attended")
    whole_school = models.TextField("whole-school attendance: what was discussed")
    cohorts = models.TextField("cohorts and patterns", blank=True)
    severe_absence = models.TextField(
        "severely absent pupils without a joint plan (no names)", blank=True
    )
    support = models.TextField("support and services agreed", blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Record of Consultation: {self.meeting}"


class Action(models.Model):
    """An action agreed at a meeting, with an owner and a due date, followed up at the next."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        NOT_DONE = "not_done", "Not done"
        DROPPED = "dropped", "No longer needed"

    class Side(models.TextChoices):
        SCHOOL = "school", "School"
        AUTHORITY = "authority", "KPAS"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="tsm_actions")
    description = models.CharField(max_length=500)
    owner_side = models.CharField(max_length=10, choices=Side.choices)
    owner = models.CharField(max_length=150, help_text="Who, e.g. the Senior Attendance Champion.")
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    followed_up_at = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followed_up_actions",
    )
    follow_up_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.description


class JointPlan(models.Model):
    """A joint school and authority plan for a severely absent pupil (KSAH §15 ii): such a
    pupil is no longer on the meeting's "without a joint plan" list."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="joint_plans")
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.CASCADE, related_name="+")
    academic_year = models.PositiveSmallIntegerField()
    agreed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "pupil", "academic_year"], name="unique_tsm_joint_plan"
            )
        ]

    def __str__(self) -> str:
        return f"Joint plan for pupil {self.pupil_id} at {self.school_id} ({self.academic_year})"
