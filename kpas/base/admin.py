from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from kpas.base.models import (
    Area,
    AuditEvent,
    District,
    Document,
    NightlyRun,
    OutboxEmail,
    Team,
    User,
)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "area"]
    list_filter = ["area"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "function", "area", "mailbox"]
    list_filter = ["function", "area"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["email", "full_name", "role", "area", "is_active"]
    list_filter = ["role", "area", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "role", "area", "team")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "role", "password1", "password2"),
            },
        ),
    )


class ReadOnlyAdmin(admin.ModelAdmin):
    """A list for operators: rows are written by services and tasks, never by hand."""

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(OutboxEmail)
class OutboxEmailAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "purpose", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "purpose"]
    search_fields = ["key", "subject"]
    # The body may hold a pupil's details: operators see who, what and whether it went.
    fields = ["key", "purpose", "to", "subject", "status", "attempts", "last_error", "created_at",
              "sent_at"]  # fmt: skip


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["requested_at", "kind", "status", "requested_by", "attempts", "size",
                    "ready_at"]  # fmt: skip
    list_filter = ["status", "kind"]
    search_fields = ["key", "public_id"]
    # Never the bytes: a certificate is a pupil's register.
    fields = ["public_id", "kind", "key", "params", "status", "requested_by", "requested_at",
              "started_at", "ready_at", "attempts", "filename", "size", "error"]  # fmt: skip

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).defer("content").select_related("requested_by")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log, to read: no one adds, changes or deletes an event here (ADR 0011)."""

    list_display = ["occurred_at", "actor_name", "actor_email", "action", "object_type",
                    "object_id"]  # fmt: skip
    list_filter = ["action"]
    search_fields = ["object_id", "actor_email", "actor_name"]
    fields = ["occurred_at", "actor_name", "actor_email", "actor_id", "action", "object_type",
              "object_id", "detail"]  # fmt: skip
    readonly_fields = fields


@admin.register(NightlyRun)
class NightlyRunAdmin(ReadOnlyAdmin):
    """Each nightly job's run per day: a row without `finished_at` after the morning is a job
    that failed (docs/operating.md "After a fault")."""

    list_display = ["day", "job", "queued_at", "started_at", "finished_at", "caught_up"]
    list_filter = ["job"]
    date_hierarchy = "day"
