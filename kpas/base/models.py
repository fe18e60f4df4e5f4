"""The local authority's own world: users and roles, areas, districts, teams, the audit log."""

from __future__ import annotations

import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone

from kpas.base.roles import AUTHORITY_ROLES, SCHOOL_ROLES, Role


class Area(models.Model):
    """One of the authority's areas (Kent: North, West, South, East; KSAH §8)."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="districts")
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team that receives work, with the mailbox its notifications go to."""

    class Function(models.TextChoices):
        AREA_ATTENDANCE = "area_attendance", "Area attendance team"
        COURTS = "courts", "Courts Team"
        CME = "cme", "Children missing education"
        EHE = "ehe", "Elective home education"
        EXCLUSIONS = "exclusions", "Exclusions"
        ADMISSIONS = "admissions", "Admissions"
        SEND = "send", "Special educational needs and disabilities"
        VIRTUAL_SCHOOL = "virtual_school", "Virtual School"
        CHILD_EMPLOYMENT = "child_employment", "Child employment and entertainment"
        PRU = "pru", "PRU commissioning"

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    function = models.CharField(max_length=30, choices=Function.choices)
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams",
        help_text="For area teams only; central teams cover the whole authority.",
    )
    mailbox = models.EmailField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("role", Role.SERVICE_ADMIN)
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address. Their role decides what they see."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=40, choices=Role.choices)
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managers",
        help_text="The area an area manager manages.",
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the admin site.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_school_staff(self) -> bool:
        return self.role in SCHOOL_ROLES

    @property
    def is_authority_staff(self) -> bool:
        return self.role in AUTHORITY_ROLES


class AuditEvent(models.Model):
    """Who did or saw what, when: every change and every sensitive read.

    Append-only (ADR 0011): on PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE, and
    in production the application's role may only INSERT and SELECT. So nothing may ever need
    to change a row: who acted is kept as text (`actor_name`, `actor_email`) written with the
    row, and `actor` is a plain reference with no database constraint that deleting the user
    leaves alone (a SET_NULL would be an UPDATE, which the trigger refuses).
    """

    actor = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        help_text="May name a user since deleted: read actor_name and actor_email.",
    )
    actor_name = models.CharField(max_length=150, blank=True)
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=80, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"
        )


class OutboxEmail(models.Model):
    """An email as a stored row first (STYLE §16): created in the transaction that causes it,
    sent by the named task `kpas.outbox.send_email`, which returns early once it is sent.

    `key` is the idempotency key: the same cause never makes a second email.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed after every retry"

    key = models.CharField(max_length=200, unique=True)
    purpose = models.CharField(max_length=80)
    to = models.JSONField(help_text="The recipients' addresses, a list.")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "email in the outbox"
        verbose_name_plural = "outbox"

    def __str__(self) -> str:
        return f"{self.purpose} to {', '.join(self.to)} ({self.status})"


class Document(models.Model):
    """A rendered document (a PDF) as a stored row first (STYLE §16; kpas/base/documents/).

    Requested by a page, rendered by the named task `kpas.documents.render`, shown with
    progress and downloaded when ready. `key` is the idempotency key: the same request never
    renders twice. The bytes live in the row (`content`), so the row and its file commit
    together: a worker killed mid-render leaves no half-written or orphaned file, and web and
    worker hosts share nothing but the database.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be rendered"
        RENDERING = "rendering", "Being rendered"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed after every retry"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=80, db_index=True)
    key = models.CharField(max_length=200, unique=True)
    params = models.JSONField(default=dict, blank=True, help_text="What the renderer needs.")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    requested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, default="application/pdf")
    content = models.BinaryField(null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.public_id} ({self.status})"


class NightlyRun(models.Model):
    """One day's run of a nightly job (a beat entry named in settings.NIGHTLY_CATCH_UP): taken
    when the job starts, or when the catch-up queues a run that beat's never started, and
    finished when it succeeds (kpas/base/nightly.py). One row per job and day, so a missed
    night is caught up exactly once."""

    job = models.CharField(max_length=80, help_text="The beat entry's name.")
    day = models.DateField(help_text="The day whose scheduled run this is.")
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    caught_up = models.PositiveSmallIntegerField(
        default=0, help_text="How many times the catch-up queued this run."
    )

    class Meta:
        ordering = ["-day", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="unique_nightly_run")]

    def __str__(self) -> str:
        return f"{self.job} {self.day}"
