"""Uploading MIS exports in the browser: choose a file, see what it would change, confirm,
watch it being applied, read the result; and each school's history of files.

The work is in `schools.uploads` (services and scoped reads) and `schools.upload_service`
(which decides whether a worker handles the file). Every page
is reached through a school in the user's scope (else "not found"); the authority's own
files (no school) are for service administrators only.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, Final, cast

from celery.result import AsyncResult
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpas.base.models import User
from schools.import_registry import import_kind_get
from schools.models import ImportBatch, School
from schools.selectors import school_get_for
from schools.upload_service import upload_confirm_apply, upload_submit
from schools.upload_tasks import import_task_id
from schools.uploads import (
    CHOOSE_FILE,
    CHOOSE_KIND,
    FINISHED,
    count_rows,
    import_batch_get_for,
    import_batch_list_for,
    megabytes,
    row_problems,
    runs_inline,
    upload_file_problem,
    upload_kinds_for,
)

logger = logging.getLogger(__name__)

Status = ImportBatch.Status
PROBLEMS_PER_PAGE: Final = 100
HISTORY_PER_PAGE: Final = 50
SUMMARY_PROBLEMS: Final = 10  # problems listed in the error summary; the table has them all

# The steps a file goes through after it is uploaded, for the progress bar.
STAGES: Final = {
    "waiting": (10, "Waiting for a worker to start"),
    "checking": (40, "Checking every row"),
    "applying": (75, "Applying the changes"),
    "done": (100, "Finished"),
}
TEMPLATES_BY_STATUS: Final[dict[str, str]] = {
    Status.RECEIVED: "progress",
    Status.PROCESSING: "progress",
    Status.PREVIEWED: "preview",
}
# After this the progress page stops waiting and says what happened and what to do.
STALE_AFTER: Final = timedelta(seconds=settings.IMPORT_PROGRESS_LIMIT_SECONDS)


# --- where a page is ------------------------------------------------------------------------
def _school(request: HttpRequest, urn: str | None) -> School | None:
    """The school in the URL (in the user's scope, else 404), or None for the authority's
    own files, which only service administrators can reach."""
    if urn is None:
        if not upload_kinds_for(request.user, None):  # type: ignore[arg-type]
            raise Http404("No such page.")
        return None
    return school_get_for(request.user, urn)  # type: ignore[arg-type]


def _url(name: str, school: School | None, **kwargs: Any) -> str:
    if school is None:
        return reverse(f"schools:authority-{name}", kwargs=kwargs)
    return reverse(f"schools:school-{name}", kwargs={"urn": school.urn, **kwargs})


def _where(school: School | None) -> str:
    return school.name if school is not None else settings.AUTHORITY_NAME


# --- the upload form ------------------------------------------------------------------------
class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        error_messages={"required": CHOOSE_KIND, "invalid_choice": CHOOSE_KIND}
    )
    file = forms.FileField(
        error_messages={"required": CHOOSE_FILE, "empty": CHOOSE_FILE, "invalid": CHOOSE_FILE}
    )

    def __init__(self, *args: Any, kinds: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind_choices = [(kind, import_kind_get(kind).label) for kind in kinds]
        self.kind_field.choices = self.kind_choices
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]

    @property
    def kind_field(self) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields["kind"])

    def kind_options(self) -> list[dict[str, Any]]:
        chosen = self["kind"].value()
        return [
            {
                "value": value,
                "label": label,
                "hint": import_kind_get(value).hint,
                "checked": value == chosen,
                "id": "kind" if i == 0 else f"kind-{i + 1}",
            }
            for i, (value, label) in enumerate(self.kind_choices)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload, kind = data.get("file"), data.get("kind")
        if upload is not None and kind:
            problem = upload_file_problem(kind, upload)
            if problem:
                self.add_error("file", problem)
        return data


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, urn: str | None = None) -> HttpResponse:
    school = _school(request, urn)
    user: User = request.user  # type: ignore[assignment]
    kinds = upload_kinds_for(user, school)
    if not kinds:
        raise PermissionDenied("Only the school's own staff and service administrators upload.")
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, kinds=kinds, auto_id="%s")
        if form.is_valid():
            batch = upload_submit(
                actor=user,
                school=school,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
            return redirect(_url("import", school, batch_id=batch.pk))
    else:
        form = UploadForm(kinds=kinds, auto_id="%s")
    return render(
        request,
        "schools/uploads/upload.html",
        {
            "school": school,
            "where": _where(school),
            "form": form,
            "limit": megabytes(settings.MAX_IMPORT_FILE_BYTES),
            "history_url": _url("imports", school),
        },
    )


# --- one file ---------------------------------------------------------------------------------
def _stage(batch: ImportBatch) -> str:
    """Where a file in progress has got to: the batch row says which step, the result
    backend (for a file a worker is handling) how far into it."""
    if batch.status in FINISHED or batch.status == Status.PREVIEWED:
        return "done"
    step = "check" if batch.status == Status.RECEIVED else "apply"
    if batch.status == Status.PROCESSING and runs_inline(batch):
        return "applying"
    try:
        state = AsyncResult(import_task_id(batch.pk, step))
        info = state.info if state.state == "PROGRESS" else None
    except Exception:  # the result backend is unreachable: the batch row is still right
        logger.warning("result backend unavailable for import %s", batch.pk, exc_info=True)
        info = None
    if isinstance(info, dict) and info.get("stage") in STAGES:
        return str(info["stage"])
    return "waiting"


def _progress(batch: ImportBatch, school: School | None) -> dict[str, Any]:
    stage = _stage(batch)
    percent, label = STAGES[stage]
    started = batch.queued_at or batch.created_at
    finished = batch.status in FINISHED or batch.status == Status.PREVIEWED
    return {
        "id": batch.pk,
        "status": batch.status,
        "status_label": batch.get_status_display(),
        "stage": stage,
        "stage_label": label,
        "percent": percent,
        "finished": finished,
        "rows_total": batch.rows_total,
        "rows_done": batch.rows_done,
        # The page stops asking and explains (templates/schools/uploads/progress.html).
        "slow": not finished and timezone.now() - started > STALE_AFTER,
        "never_queued": not finished and batch.queued_at is None and not runs_inline(batch),
        "url": _url("import", school, batch_id=batch.pk),
    }


def _problems_page(request: HttpRequest, batch: ImportBatch) -> Page:
    paginator = Paginator(row_problems(batch.errors), PROBLEMS_PER_PAGE)
    return paginator.get_page(request.GET.get("page"))


def _pages(page: Page, base: str) -> list[dict[str, Any]]:
    """GOV.UK pagination items: first, last, current and its neighbours, with ellipses."""
    wanted = {1, page.paginator.num_pages, page.number - 1, page.number, page.number + 1}
    items: list[dict[str, Any]] = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= page.paginator.num_pages):
        if previous and number > previous + 1:
            items.append({"ellipsis": True})
        items.append(
            {"number": number, "url": f"{base}?page={number}", "current": number == page.number}
        )
        previous = number
    return items


@never_cache
@login_required
@require_GET
def import_detail(request: HttpRequest, batch_id: int, urn: str | None = None) -> HttpResponse:
    """One file: its preview, its progress or its result, according to where it has got to."""
    school = _school(request, urn)
    user: User = request.user  # type: ignore[assignment]
    batch = import_batch_get_for(user, batch_id, school=school)
    rows, facts = count_rows(batch.counts)
    detail_url = _url("import", school, batch_id=batch.pk)
    context: dict[str, Any] = {
        "school": school,
        "where": _where(school),
        "batch": batch,
        "count_rows": rows,
        "facts": facts,
        "warnings": row_problems(batch.warnings),
        "can_confirm": batch.status == Status.PREVIEWED
        and batch.kind in upload_kinds_for(user, school),
        "can_upload": bool(upload_kinds_for(user, school)),
        "upload_url": _url("import-upload", school),
        "history_url": _url("imports", school),
        "confirm_url": _url("import-confirm", school, batch_id=batch.pk),
        "progress_url": _url("import-progress", school, batch_id=batch.pk),
        "detail_url": detail_url,
        "progress": _progress(batch, school),
        "stuck_after_minutes": settings.IMPORT_STUCK_AFTER_SECONDS // 60,
        "max_requeues": settings.IMPORT_MAX_REQUEUES,
    }
    if batch.status == Status.REJECTED:
        page = _problems_page(request, batch)
        context.update(
            problems=page,
            pages=_pages(page, detail_url),
            summary_problems=[p for p in page.object_list if p.line][:SUMMARY_PROBLEMS],
        )
    if batch.status == Status.UNCHANGED and "identical_to" in batch.counts:
        context["identical_to"] = ImportBatch.objects.filter(
            pk=batch.counts["identical_to"]
        ).first()
    template = TEMPLATES_BY_STATUS.get(str(batch.status), "result")
    return render(request, f"schools/uploads/{template}.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest, batch_id: int, urn: str | None = None) -> HttpResponse:
    """Apply a checked file. Safe to send twice: only the first confirmation applies it."""
    school = _school(request, urn)
    user: User = request.user  # type: ignore[assignment]
    batch = import_batch_get_for(user, batch_id, school=school)
    try:
        upload_confirm_apply(actor=user, batch=batch)
    except PermissionError:
        raise PermissionDenied("You cannot apply this file.") from None
    return redirect(_url("import", school, batch_id=batch.pk))


@never_cache
@login_required
@require_GET
def import_progress(request: HttpRequest, batch_id: int, urn: str | None = None) -> JsonResponse:
    """Where a file has got to, for the progress page's script."""
    school = _school(request, urn)
    batch = import_batch_get_for(request.user, batch_id, school=school)  # type: ignore[arg-type]
    return JsonResponse(_progress(batch, school))


# --- history ----------------------------------------------------------------------------------
@never_cache
@login_required
@require_GET
def import_history(request: HttpRequest, urn: str | None = None) -> HttpResponse:
    school = _school(request, urn)
    user: User = request.user  # type: ignore[assignment]
    batches = import_batch_list_for(user, school=school).order_by("-created_at", "-pk")
    page = Paginator(batches, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    base = _url("imports", school)
    return render(
        request,
        "schools/uploads/history.html",
        {
            "school": school,
            "where": _where(school),
            "page": page,
            "pages": _pages(page, base) if page.paginator.num_pages > 1 else [],
            "rows": [
                (batch, count_rows(batch.counts)[0], _url("import", school, batch_id=batch.pk))
                for batch in page.object_list
            ],
            "can_upload": bool(upload_kinds_for(user, school)),
            "upload_url": _url("import-upload", school),
        },
    )
