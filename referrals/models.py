"""Digital Front Door submissions, their timeline and evidence files.

A submission starts as a draft (a form being filled in, with or without an account), is
sent (it gets its reference and is routed to a team), and is then worked by the team. Its
answers are kept as the pathway's canonical JSON (see referrals.engine.fields).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from kpas.base.models import Team
from referrals.pathway_names import PathwayName, pathway_title
from referrals.rules import ClosingOutcome, Status
from schools.models import Pupil, School


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def sent(self) -> SubmissionQuerySet:
        return self.exclude(status=Status.DRAFT)


class Submission(models.Model):
    Status = Status

    class Source(models.TextChoices):
        WEB = "web", "Web form"
        API = "api", "API"

    reference = models.CharField(max_length=20, unique=True, null=True, blank=True)
    # Identifies the form being filled in: the draft's address, and the idempotency key that
    # makes a double submit (or an API retry) one submission.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pathway = models.CharField(max_length=60, choices=PathwayName.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(max_length=5, choices=Source.choices, default=Source.WEB)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="submissions"
    )
    pupil = models.ForeignKey(
        Pupil,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
        help_text="The pupil's register record, when a signed-in user chose them by UPN.",
    )
    pupil_upn = models.CharField("UPN", max_length=13, blank=True, db_index=True)
    pupil_name = models.CharField(max_length=200, blank=True)
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
        help_text="Empty when sent without an account.",
    )
    submitter_name = models.CharField(max_length=150, blank=True)
    submitter_email = models.EmailField(blank=True)
    answers = models.JSONField(default=dict, blank=True)
    steps_done = models.JSONField(default=list, blank=True)
    register_snapshot = models.JSONField(
        default=dict, blank=True, help_text="The register figures the school saw when it sent."
    )
    conditions = models.JSONField(
        default=list, blank=True, help_text="Each requirement's outcome, and reasons given."
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="submissions"
    )
    copied_teams = models.ManyToManyField(Team, blank=True, related_name="copied_submissions")
    allocated_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="allocated_submissions",
    )
    routing_reasons = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    # How the authority closed a CME notification (KSAH §22-23; reg 9(1)(h), (i), 9(3)(c)):
    # "enquiries complete, deletion advised", with the date it confirmed.
    closing_outcome = models.CharField(
        max_length=30, choices=ClosingOutcome.choices, blank=True, default=""
    )
    deletion_advised_on = models.DateField(null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        indexes = [
            models.Index(fields=["team", "status"]),
            models.Index(fields=["school", "status"]),
            models.Index(fields=["pathway", "pupil"]),
            models.Index(fields=["submitter", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(reference__isnull=False),
                name="sent_submission_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"Draft {self.token}"

    @property
    def pathway_title(self) -> str:
        return pathway_title(self.pathway)

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT


class ReferenceCounter(models.Model):
    """The last reference number given in each calendar year (DFD-2026-000123)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class SubmissionEvent(models.Model):
    """One entry on a submission's timeline, which officers and the school read."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Sent"
        ROUTED = "routed", "Routed"
        ALLOCATED = "allocated", "Allocated"
        TRIAGED = "triaged", "Accepted"
        CLOSED = "closed", "Closed"
        REOPENED = "reopened", "Reopened"
        NOTE = "note", "Note"
        EVIDENCE_ADDED = "evidence_added", "Evidence added"
        EMAIL_SENT = "email_sent", "Email sent"  # before the outbox: kept for old timelines
        EMAIL_QUEUED = "email_queued", "Email queued"
        QUESTION = "question", "Question to the school"
        ANSWER = "answer", "Answer from the school"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    # A note is internal unless the officer shared it with the school.
    shared = models.BooleanField(default=False)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.kind} {self.occurred_at:%Y-%m-%d %H:%M}"


class PrivateStorage(FileSystemStorage):
    """Evidence lives under MEDIA_ROOT/private with no URL: it is served only by a view that
    checks the user may see the submission, never by a static or media URL. The location
    follows MEDIA_ROOT, also when it changes (tests)."""

    @cached_property
    def base_location(self) -> str:
        return str(Path(settings.MEDIA_ROOT) / "private")

    def url(self, name: str | None) -> str:
        raise ValueError("Evidence has no URL: referrals.views.evidence_download serves it.")


def private_storage() -> PrivateStorage:
    return PrivateStorage()


def evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name is ours, never the uploaded one: nothing a user types reaches the disk.
    now = timezone.now()
    return f"referrals/evidence/{now:%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class Evidence(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, storage=private_storage, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.original_name
