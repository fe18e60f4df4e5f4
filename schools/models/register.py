"""The register — one row per school, pupil, date and session — its history and projections.

`Mark` is the legal record (DOMAIN §2). On PostgreSQL its table is partitioned by academic
year (see migration 0002 and docs/adr/0004-register-storage.md). `PupilYearRegister` is a
rebuildable projection: per-pupil totals plus a compact code array for whole-school scans.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from schools.import_registry import (
    KIND_MAX_LENGTH,
    UnknownImportKind,
    import_kind_get,
    import_kind_label,
)
from schools.models.people import Pupil, School
from schools.rules import SESSION_CHOICES
from schools.rules import Session as Session  # one Session: the rules' AM/PM, stored as 0/1


class ImportBatch(models.Model):
    """One file received from a school's MIS (or the authority), and what became of it.

    `kind` is any kind in the import registry (schools.import_registry), which each app
    fills in; `Kind` names only the schools app's own kinds.
    """

    class Kind(models.TextChoices):
        SCHOOLS = "schools", "Schools (CSV)"
        CALENDAR = "calendar", "Calendar (CSV)"
        PUPILS = "pupils", "Pupils (CSV)"
        MARKS = "marks", "Register marks (CSV)"
        CTF = "ctf", "Common Transfer File (XML)"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PREVIEWED = "previewed", "Checked, waiting for confirmation"
        PROCESSING = "processing", "Processing"
        APPLIED = "applied", "Applied"
        REJECTED = "rejected", "Rejected"
        UNCHANGED = "unchanged", "Identical to a file already received"
        FAILED = "failed", "Failed: could not be finished"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=KIND_MAX_LENGTH)
    school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="imports",
        help_text="The school the file was uploaded for, when a school uploaded it.",
    )
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # who sent a file is never blanked (ADR 0011)
        related_name="+",
    )
    source = models.CharField(max_length=20, default="command")  # command, upload, api
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(
        default=list,
        blank=True,
        help_text="What the school should know but did not stop the file (line N: ...).",
    )
    stored_file = models.CharField(max_length=500, blank=True)
    queued_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the file was last handed to a worker (or confirmed); empty while "
        "no worker could be reached. The import sweeper measures a stuck file from here.",
    )
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="How many times the import sweeper has queued the file again."
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename} ({self.status})"

    def get_kind_display(self) -> str:
        return import_kind_label(self.kind)

    def clean(self) -> None:
        try:
            import_kind_get(self.kind)
        except UnknownImportKind as exc:
            raise ValidationError({"kind": str(exc)}) from None


class Mark(models.Model):
    """One register entry: what the school recorded for a pupil at one session."""

    # Key order: a school's day is contiguous, so a day's import appends (ADR 0004).
    pk = models.CompositePrimaryKey("school_id", "date", "pupil_id", "session")
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, db_constraint=False, db_index=False
    )
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, db_constraint=False, db_index=False)
    date = models.DateField()
    session = models.SmallIntegerField(choices=SESSION_CHOICES)
    code = models.CharField(max_length=2)
    source_import = models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        # The mark keeps the id of the file it came from even if that row goes: blanking it
        # would rewrite who did what (ADR 0011) and update a whole school's marks.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        managed = True
        db_table = "schools_mark"

    def __str__(self) -> str:
        return f"{self.pupil_id} {self.date} {self.get_session_display()} {self.code}"


class MarkChange(models.Model):
    """A correction: the earlier entry, the new one, which file changed it and when."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="mark_changes")
    date = models.DateField()
    session = models.SmallIntegerField(choices=SESSION_CHOICES)
    previous_code = models.CharField(max_length=2)
    new_code = models.CharField(max_length=2)
    source_import = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # which file made the correction is never blanked (ADR 0011)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at"]
        indexes = [models.Index(fields=["pupil", "date"])]

    def __str__(self) -> str:
        return f"{self.pupil_id} {self.date} {self.previous_code} -> {self.new_code}"


class PupilYearRegister(models.Model):
    """Projection: one pupil's year at one school — totals and a compact code array.

    `codes` holds 732 bytes: slot (date - 1 Aug).days * 2 + session, value = code ordinal
    (schools.codes.ORDINAL_BY_CODE; 0 = no mark). Rebuilt from marks by
    `manage.py rebuild_projections`; never edited by hand.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="year_registers")
    academic_year = models.PositiveSmallIntegerField(help_text="2025 means 2025/26.")
    codes = models.BinaryField()
    possible = models.PositiveIntegerField(default=0)
    present = models.PositiveIntegerField(default=0)
    approved_activity = models.PositiveIntegerField(default=0)
    authorised = models.PositiveIntegerField(default=0)
    unauthorised = models.PositiveIntegerField(default=0)
    not_possible = models.PositiveIntegerField(default=0)
    last_mark_date = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "pupil", "academic_year"], name="unique_pupil_year_register"
            )
        ]
        indexes = [models.Index(fields=["school", "academic_year"])]

    def __str__(self) -> str:
        return f"{self.pupil_id} {self.academic_year} at {self.school_id}"


class SchoolMarkedDays(models.Model):
    """Projection: the days of one school's year on which it recorded a possible-session mark
    that its term dates do not know (DOMAIN §13: school days all the same).

    Written by the evaluation, which finds them from the marks anyway (after each import's
    follow-up and each night), so the dashboard and the pupil record read one row instead of
    probing the marks table on every request (issue 14, issue 16 item 5). `days` holds ISO
    dates in order."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    academic_year = models.PositiveSmallIntegerField(help_text="2025 means 2025/26.")
    days = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year"], name="unique_school_marked_days"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.academic_year}: {len(self.days)} days"


class Alert(models.Model):
    """Something the nightly evaluation found that a school or officer should act on."""

    class Kind(models.TextChoices):
        PENALTY_THRESHOLD = "penalty_threshold", "Met the penalty notice threshold"
        PERSISTENT_ABSENCE = "persistent_absence", "Persistently absent"
        SEVERE_ABSENCE = "severe_absence", "Severely absent"
        ATTENDANCE_RETURN = "attendance_return", "Attendance return criteria met"
        SICKNESS_RETURN = "sickness_return", "Sickness return criteria met"
        OVERDUE_N_CODE = "overdue_n_code", "N code not replaced within 5 school days"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="alerts")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    academic_year = models.PositiveSmallIntegerField()
    key = models.CharField(
        max_length=40,
        blank=True,
        help_text="Distinguishes alerts of one kind in a year, e.g. the date of an overdue N.",
    )
    details = models.JSONField(default=dict, blank=True)
    raised_on = models.DateField()
    cleared_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-raised_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "pupil", "kind", "academic_year", "key"],
                name="unique_alert",
            )
        ]
        indexes = [models.Index(fields=["school", "kind", "cleared_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.pupil_id}"
