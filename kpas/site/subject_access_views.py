"""The service administrator's subject-access page: a pupil's UPN in, everything the service
holds about them out, as a JSON download (kpas/site/subject_access.py). Each export is
audited; nothing about it is cached."""

from __future__ import annotations

import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kpas.base.audit import AuditAction, audit_record
from kpas.base.roles import Role
from kpas.site.subject_access import NoSuchPupil, subject_access_export
from schools.models import Pupil

TEMPLATE = "kpas/site/subject_access.html"


class SubjectAccessForm(forms.Form):
    upn = forms.CharField(
        label="Pupil's UPN",
        max_length=13,
        help_text="The 13-character unique pupil number, for example A123456789012.",
        error_messages={
            "required": "Enter the pupil's UPN",
            "max_length": "A UPN is 13 characters: check the one you entered",
        },
    )

    def clean_upn(self) -> str:
        return self.cleaned_data["upn"].strip().upper()


def export_json(data: dict[str, object]) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=1, ensure_ascii=False)


def export_audit(actor: object, upn: str, via: str) -> None:
    audit_record(
        actor=actor,  # type: ignore[arg-type]
        action=AuditAction.SUBJECT_ACCESS_EXPORTED,
        obj=Pupil.objects.get(upn=upn),
        detail={"upn": upn, "via": via},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def subject_access(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "role", None) != Role.SERVICE_ADMIN:
        raise PermissionDenied("Only a service administrator produces a subject-access export.")
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        upn = form.cleaned_data["upn"]
        try:
            data = subject_access_export(upn)
        except NoSuchPupil as exc:
            form.add_error("upn", str(exc))
        else:
            export_audit(request.user, upn, "web")
            response = HttpResponse(export_json(data), content_type="application/json")
            stamp = str(data["produced_at"])[:10]
            response["Content-Disposition"] = (
                f'attachment; filename="subject-access-{upn}-{stamp}.json"'
            )
            return response
    errors = [(message, "#upn") for message in form.errors.get("upn", [])]
    return render(request, TEMPLATE, {"form": form, "errors": errors})
