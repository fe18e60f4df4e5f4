"""Field-level history of sensitive records (STYLE §8): who changed what, when, from what.

Written set-based by the import stores (one bulk insert per file) whenever a file changes a
pupil's identity (legal names, date of birth), a parent or a parent's link to a pupil, or
ends another school's enrolment. The register's own corrections are `MarkChange`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from schools.models.people import Pupil
from schools.models.register import ImportBatch


class RecordChange(models.Model):
    class Record(models.TextChoices):
        PUPIL = "pupil", "Pupil"
        PARENT = "parent", "Parent"
        PUPIL_PARENT = "pupil_parent", "Parent's link to a pupil"
        ENROLMENT = "enrolment", "Enrolment"

    record = models.CharField(max_length=20, choices=Record.choices)
    object_id = models.PositiveBigIntegerField()
    pupil = models.ForeignKey(
        Pupil,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="record_changes",
        help_text="The pupil the record belongs to, so a pupil's history is one query.",
    )
    field = models.CharField(max_length=50)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    # History names who changed what for as long as it is kept: a user or a file that changed
    # a record cannot be deleted from under it (ADR 0011; disable the account instead).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_import = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [
            models.Index(fields=["record", "object_id"]),
            models.Index(fields=["pupil", "changed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.record} {self.object_id} {self.field}: {self.before!r} -> {self.after!r}"
