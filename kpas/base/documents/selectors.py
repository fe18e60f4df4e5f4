"""Reads of the documents pipeline, scoped as the page that asked for each document."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from kpas.base.documents.registry import UnknownKind, kind_for
from kpas.base.models import Document


def document_get_for(user: Any, public_id: str) -> Document:
    """A document the user may see (the requesting page's own check), without its bytes."""
    document = Document.objects.defer("content").filter(public_id=public_id).first()
    if document is None:
        raise Http404("No such document.")
    try:
        kind = kind_for(document.kind)
    except UnknownKind:
        raise Http404("No such document.") from None
    if not kind.may_access(user, document.params):
        raise Http404("No such document.")
    return document
