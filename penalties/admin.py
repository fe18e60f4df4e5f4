from django.contrib import admin

from penalties.models import PenaltyNotice


@admin.register(PenaltyNotice)
class PenaltyNoticeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("reference", "case", "issued_on", "status", "local_authority", "source")
    list_filter = ("case", "status", "source")
    search_fields = ("reference", "pupil__upn", "parent__parent_ref")
    raw_id_fields = ("pupil", "parent")
    readonly_fields = ("created_at", "updated_at")
