from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from kpas.base.errors import Conflict, ServiceBusy
from schools.models import Enrolment, ImportBatch, Parent, Pupil, School, SchoolMembership, TermDate
from schools.record_history import record_changes_write


class HistoryKeptAdmin(admin.ModelAdmin):
    """A pupil's or parent's record changed by hand keeps its field-level history (ADR 0012):
    the values before, read just before saving, and who changed them."""

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        names = [
            obj._meta.get_field(name).attname
            for name in form.changed_data
            if not obj._meta.get_field(name).many_to_many
        ]
        before = (
            type(obj).objects.filter(pk=obj.pk).values(*names).first() if change and names else None
        )
        super().save_model(request, obj, form, change)
        if before:
            record_changes_write(obj, before, actor=request.user)


class MembershipInline(admin.TabularInline):
    model = SchoolMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "urn",
        "phase",
        "school_type",
        "district",
        "attendance_officer",
        "exclusion_adviser",
    ]
    list_filter = ["phase", "school_type", "district__area", "district"]
    search_fields = ["name", "urn"]
    inlines = [MembershipInline]
    autocomplete_fields = ["attendance_officer", "exclusion_adviser"]


@admin.register(Pupil)
class PupilAdmin(HistoryKeptAdmin):
    list_display = ["upn", "surname", "forename", "date_of_birth"]
    search_fields = ["upn", "surname", "forename"]


@admin.register(Parent)
class ParentAdmin(HistoryKeptAdmin):
    list_display = ["surname", "forename", "postcode"]
    search_fields = ["surname", "forename"]


@admin.register(Enrolment)
class EnrolmentAdmin(HistoryKeptAdmin):
    list_display = ["pupil", "school", "start_date", "end_date", "registration", "year_group"]
    list_filter = ["registration"]
    raw_id_fields = ["pupil", "school"]


@admin.register(TermDate)
class TermDateAdmin(admin.ModelAdmin):
    list_display = ["start", "end", "kind", "school", "description"]
    list_filter = ["kind"]
    raw_id_fields = ["school"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "filename",
        "school",
        "status",
        "attempts",
        "uploaded_by",
    ]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # a file's row names who sent it and what it changed (ADR 0011)

    actions = ["requeue", "cancel"]

    def _each(self, request: HttpRequest, queryset: QuerySet[ImportBatch], act: object) -> None:
        done = 0
        for batch_id in queryset.values_list("pk", flat=True):
            try:
                act(batch_id=batch_id, actor=request.user)  # type: ignore[operator]
                done += 1
            except (Conflict, ServiceBusy) as exc:
                self.message_user(request, f"File {batch_id}: {exc.message}", messages.WARNING)
        if done:
            self.message_user(request, f"{done} file(s) done.", messages.SUCCESS)

    @admin.action(description="Queue the selected files again (stuck on the way)")
    def requeue(self, request: HttpRequest, queryset: QuerySet[ImportBatch]) -> None:
        from schools.import_recovery import import_requeue  # not at start-up: it loads NumPy

        self._each(request, queryset, import_requeue)

    @admin.action(description="Cancel the selected files (nothing in them is applied)")
    def cancel(self, request: HttpRequest, queryset: QuerySet[ImportBatch]) -> None:
        from schools.import_recovery import import_cancel  # not at start-up: it loads NumPy

        self._each(request, queryset, import_cancel)
