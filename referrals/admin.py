from django.contrib import admin

from referrals.models import Evidence, ReferenceCounter, Submission, SubmissionEvent


class EventInline(admin.TabularInline):
    model = SubmissionEvent
    extra = 0
    fields = ["occurred_at", "kind", "actor", "message"]
    readonly_fields = fields
    can_delete = False


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "pathway",
        "status",
        "school",
        "pupil_name",
        "team",
        "allocated_officer",
        "submitted_at",
    ]
    list_filter = ["status", "pathway", "team", "source"]
    search_fields = ["reference", "pupil_upn", "pupil_name", "submitter_email"]
    raw_id_fields = ["school", "pupil", "submitter", "allocated_officer"]
    readonly_fields = [
        "reference",
        "token",
        "pathway",
        "answers",
        "register_snapshot",
        "conditions",
        "routing_reasons",
        "submitted_at",
        "created_at",
    ]
    inlines = [EvidenceInline, EventInline]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return obj is not None and obj.is_draft


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(admin.ModelAdmin):
    list_display = ["year", "last"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
