"""The three documents a certificate page produces, rendered through the documents pipeline
(kpas/base/documents/), and who may produce which (EA96 s.566(1)(c); DOMAIN §2; KSAH §17, §25).

- The head teacher's certificate: a true extract of the school's attendance register, signed by
  the head teacher. Under s.566(1)(c) a magistrates' court receives it without further proof,
  so only the school's head teacher produces it: a user with the Headteacher role linked to the
  school. An acting head is given the Headteacher role for as long as they act (the service
  administrator records it), so there is one rule and one place to look.
- The authority's copy: what officers and the Courts Team produce — the authority's copy of the
  register it received, labelled as not a s.566 certificate, with no signature block.
- A working copy: other school staff (SAC, attendance and office staff) check the register
  before the head certifies it. Theirs is labelled on every page as a working copy, not a
  certificate and not evidence, with no signature block, so it cannot pass as either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from django.conf import settings
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from kpas.base.audit import AuditAction, audit_record
from kpas.base.documents.registry import DocumentKind, RenderedFile, register
from kpas.base.documents.services import document_request
from kpas.base.models import Document, User
from kpas.base.roles import AUTHORITY_ROLES, Role
from schools.certificate.content import certificate_content
from schools.certificate.grid import WEEKDAYS
from schools.models import Mark, MarkChange, Pupil, School
from schools.selectors import pupil_list_for, school_get_for

HEAD_CERTIFICATE: Final = "schools.head_certificate"
AUTHORITY_COPY: Final = "schools.authority_copy"
WORKING_COPY: Final = "schools.working_copy"
TEMPLATE: Final = "schools/certificate/certificate_pdf.html"
AUDIT_ACTION: Final = AuditAction.CERTIFICATE_PRODUCED


@dataclass(frozen=True)
class Variant:
    kind: str
    title: str  # the document's heading and the progress page's
    filename_stem: str
    reference_prefix: str
    button: str  # the certificate page's button


VARIANTS: Final = {
    HEAD_CERTIFICATE: Variant(
        HEAD_CERTIFICATE,
        "Head teacher's certificate of attendance",
        "head-teachers-certificate",
        "HTC",
        "Create the head teacher's certificate (PDF)",
    ),
    AUTHORITY_COPY: Variant(
        AUTHORITY_COPY,
        "The authority's copy of the attendance register",
        "authority-copy-of-register",
        "AC",
        "Create the authority's copy (PDF)",
    ),
    WORKING_COPY: Variant(
        WORKING_COPY,
        "Working copy of the attendance register",
        "working-copy-of-register",
        "WC",
        "Create a working copy (PDF)",
    ),
}


def certificate_kind_for(user: User) -> str:
    """Which of the three documents this user produces (see the module's docstring)."""
    if user.role == Role.HEADTEACHER:
        return HEAD_CERTIFICATE
    if user.role in AUTHORITY_ROLES:
        return AUTHORITY_COPY
    return WORKING_COPY


def certificate_filename(pupil: Pupil, start: date, end: date, *, kind: str) -> str:
    stem = VARIANTS[kind].filename_stem
    return f"{stem}-{pupil.upn}-{start:%Y%m%d}-{end:%Y%m%d}.pdf"


def _register_version(*, pupil: Pupil, school: School, start: date, end: date) -> str:
    """What changes when the register for the period changes: a request after a new file
    makes a new document, a second click before it does not."""
    marks = Mark.objects.filter(school=school, pupil=pupil, date__gte=start, date__lte=end)
    last_change = (
        MarkChange.objects.filter(school=school, pupil=pupil, date__gte=start, date__lte=end)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return f"{marks.count()}.{last_change or 0}"


def certificate_request(
    *, pupil: Pupil, school: School, start: date, end: date, requested_by: User
) -> Document:
    """Ask for this user's document for the period (rendered by a worker). Idempotent per
    user, pupil, period, day and state of the register."""
    kind = certificate_kind_for(requested_by)
    version = _register_version(pupil=pupil, school=school, start=start, end=end)
    today = timezone.localdate()
    key = (
        f"{kind}:{school.pk}:{pupil.pk}:{start:%Y%m%d}-{end:%Y%m%d}"
        f":u{requested_by.pk}:{today:%Y%m%d}:{version}"
    )
    params = {
        "school_id": school.pk,
        "urn": school.urn,
        "pupil_id": pupil.pk,
        "upn": pupil.upn,
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    return document_request(kind=kind, key=key, requested_by=requested_by, params=params)


def producer_description(user: User, school: School) -> dict[str, str]:
    """Who produced the document: name, role and the organisation they act for."""
    organisation = school.name if user.is_school_staff else settings.AUTHORITY_NAME
    return {
        "name": user.full_name or user.email,
        "role": user.get_role_display(),
        "organisation": organisation,
    }


def render_certificate(
    *, kind: str, pupil: Pupil, school: School, start: date, end: date, produced_by: User
) -> bytes:
    """One of the three documents as an A4 PDF; its production is audited (the reference
    printed on it is the audit event's number). Call inside a transaction: the documents
    pipeline does, so a render that dies leaves no audit row behind."""
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDFs need it

    variant = VARIANTS[kind]
    content = certificate_content(pupil=pupil, school=school, start=start, end=end)
    produced_at = timezone.localtime()
    event = audit_record(
        actor=produced_by,
        action=AUDIT_ACTION,
        obj=pupil,
        detail={
            "kind": kind,
            "school": school.urn,
            "upn": pupil.upn,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "possible": content.statistics.possible,
        },
    )
    html = render_to_string(
        TEMPLATE,
        {
            "c": content,
            "variant": variant,
            "is_head_certificate": kind == HEAD_CERTIFICATE,
            "is_authority_copy": kind == AUTHORITY_COPY,
            "is_working_copy": kind == WORKING_COPY,
            "weekdays": WEEKDAYS,
            "produced_at": produced_at,
            "producer": producer_description(produced_by, school),
            "authority_name": settings.AUTHORITY_NAME,
            "service_name": settings.SERVICE_NAME,
            "reference": f"{variant.reference_prefix}-{event.pk:06d}",
        },
    )
    return bytes(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())


def _render(document: Document) -> RenderedFile:
    params = document.params
    school = School.objects.get(pk=params["school_id"])
    pupil = Pupil.objects.get(pk=params["pupil_id"])
    start, end = date.fromisoformat(params["start"]), date.fromisoformat(params["end"])
    if document.requested_by is None:
        raise ValueError("The person who asked for this document no longer has an account.")
    pdf = render_certificate(
        kind=document.kind,
        pupil=pupil,
        school=school,
        start=start,
        end=end,
        produced_by=document.requested_by,
    )
    return RenderedFile(certificate_filename(pupil, start, end, kind=document.kind), pdf)


def _may_access(kind: str) -> Any:
    def may_access(user: User, params: dict[str, Any]) -> bool:
        """The certificate page's own scoping: the school and the pupil in the user's scope,
        and this user's kind of document."""
        if not user.is_authenticated or certificate_kind_for(user) != kind:
            return False
        try:
            school = school_get_for(user, params["urn"])
        except Http404:
            return False
        return pupil_list_for(user, school=school).filter(pk=params["pupil_id"]).exists()

    return may_access


def _back_url(params: dict[str, Any]) -> str:
    return reverse("schools:pupil-certificate", kwargs={"urn": params["urn"], "upn": params["upn"]})


def register_certificate_kinds() -> None:
    """Called from SchoolsConfig.ready()."""
    for kind, variant in VARIANTS.items():
        register(
            DocumentKind(
                kind=kind,
                label=variant.title,
                render=_render,
                may_access=_may_access(kind),
                back_url=_back_url,
            )
        )
