"""The progress page of a document and its download, scoped exactly as the page that asked for
it (the kind's `may_access`): out of scope is "not found"."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kpas.base.documents.registry import kind_for
from kpas.base.documents.selectors import document_get_for
from kpas.base.documents.services import document_downloaded
from kpas.base.models import Document

TEMPLATE = "kpas/documents/progress.html"
REFRESH_SECONDS = 2


@never_cache
@login_required
@require_GET
def document_progress(request: HttpRequest, public_id: str) -> HttpResponse:
    document = document_get_for(request.user, public_id)
    kind = kind_for(document.kind)
    download_url = reverse("documents:download", kwargs={"public_id": document.public_id})
    ready = document.status == Document.Status.READY
    if request.GET.get("format") == "json":  # the page's script polls this
        return JsonResponse(
            {"status": document.status, "download_url": download_url if ready else None}
        )
    context = {
        "document": document,
        "label": kind.label,
        "ready": ready,
        "failed": document.status == Document.Status.FAILED,
        "download_url": download_url,
        "back_url": kind.back_url(document.params) or reverse("home"),
        "refresh_seconds": REFRESH_SECONDS,
    }
    return render(request, TEMPLATE, context)


@never_cache
@login_required
@require_GET
def document_download(request: HttpRequest, public_id: str) -> HttpResponse:
    document = document_get_for(request.user, public_id)
    if document.status != Document.Status.READY:
        raise Http404("This document is not ready.")
    content = Document.objects.values_list("content", flat=True).get(pk=document.pk)
    document_downloaded(document=document, user=request.user)  # type: ignore[arg-type]
    response = HttpResponse(bytes(content or b""), content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response
