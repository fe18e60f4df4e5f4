"""Casework documents through the documents pipeline (kpas/base/documents/): the formal and
final warning letters, and the court bundle (DOMAIN §6; KSAH §15 iv): one PDF holding the
head teacher's certificate where one is held (otherwise the authority's copy, labelled as
such by its own renderer), the AIM record, both warning letters, the PACE record and a
witness statement drafted from the case, with an index, page references and page numbers.
"""

from __future__ import annotations

import io
from typing import Any, Final

from django.conf import settings
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from kpas.base.documents.registry import DocumentKind, RenderedFile, register
from kpas.base.documents.services import document_request
from kpas.base.models import Document, User
from referrals import clock
from referrals.cases.models import Case
from schools.calendar import academic_year_start
from schools.models import PupilParent

FORMAL_WARNING: Final = "cases.formal_warning"
FINAL_WARNING: Final = "cases.final_warning"
COURT_BUNDLE: Final = "cases.court_bundle"
HEAD_CERTIFICATE: Final = "schools.head_certificate"  # schools.certificate.documents
LETTERS: Final = {FORMAL_WARNING: "Formal warning letter", FINAL_WARNING: "Final warning letter"}
TEMPLATE: Final = "cases/pdf/part.html"


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # loading Pango is slow; only renders need it

    return bytes(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())


def _parents(case: Case) -> list[Any]:
    links = PupilParent.objects.filter(pupil_id=case.pupil_id, lives_with_pupil=True)
    return [link.parent for link in links.select_related("parent").order_by("contact_priority")]


def _context(case: Case, section: str, **extra: Any) -> dict[str, Any]:
    from schools.register_facts import register_facts_for  # NumPy: loaded by renders only

    facts = register_facts_for(case.pupil, clock.today()) if case.pupil else None
    return {
        "case": case,
        "section": section,
        "pupil": case.pupil,
        "school": case.school,
        "parents": _parents(case),
        "data": case.data,
        "facts": facts,
        "officer": case.officer,
        "authority_name": settings.AUTHORITY_NAME,
        "service_name": settings.SERVICE_NAME,
        "today": clock.today(),
        **extra,
    }


def part_pdf(case: Case, section: str, **extra: Any) -> bytes:
    """One part (a letter, a record, the statement) as its own PDF."""
    return _pdf(render_to_string(TEMPLATE, _context(case, section, **extra)))


def _certificate(case: Case, requested_by: User) -> tuple[bytes, str]:
    """The head teacher's certificate where one is held for the pupil; otherwise the
    authority's copy (schools' renderer labels it as not a s.566 certificate)."""
    held = (
        Document.objects.filter(
            kind=HEAD_CERTIFICATE, status=Document.Status.READY, params__pupil_id=case.pupil_id
        )
        .order_by("-ready_at")
        .first()
    )
    if held is not None and held.content:
        return bytes(held.content), "Head teacher's certificate of attendance (EA96 s.566)"
    from schools.certificate.documents import AUTHORITY_COPY, render_certificate
    from schools.register_facts import register_facts_for

    end = clock.today()
    facts = register_facts_for(case.pupil, end) if case.pupil else None
    if facts is not None:
        end = facts.as_of
    pdf = render_certificate(
        kind=AUTHORITY_COPY,
        pupil=case.pupil,
        school=case.school,
        start=academic_year_start(end),
        end=end,
        produced_by=requested_by,
    )
    return pdf, "The authority's copy of the attendance register (not a head teacher's certificate)"


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def court_bundle_pdf(case: Case, requested_by: User) -> bytes:
    from pypdf import PdfReader, PdfWriter

    certificate, certificate_title = _certificate(case, requested_by)
    parts: list[tuple[str, bytes]] = [
        (certificate_title, certificate),
        ("Record of the attendance improvement meeting", part_pdf(case, "aim")),
        ("Formal warning letter", part_pdf(case, "formal_warning")),
        ("Final warning letter", part_pdf(case, "final_warning")),
        ("Record of the interview under caution (PACE)", part_pdf(case, "pace")),
        ("Witness statement of the attendance officer", part_pdf(case, "statement")),
    ]
    index_pages = 1
    entries, page = [], index_pages + 1
    for title, pdf in parts:
        count = _pages(pdf)
        entries.append({"title": title, "first": page, "last": page + count - 1})
        page += count
    total = page - 1
    index = part_pdf(case, "index", entries=entries, total=total)
    writer = PdfWriter()
    for pdf in [index, *[pdf for _, pdf in parts]]:
        for p in PdfReader(io.BytesIO(pdf)).pages:
            writer.add_page(p)
    # Number every page "Page n of N" with an overlay rendered once for the whole bundle.
    stamps = PdfReader(
        io.BytesIO(
            _pdf(
                render_to_string(
                    "cases/pdf/numbers.html",
                    {"pages": range(1, total + 1), "total": total, "case": case},
                )
            )
        )
    ).pages
    for number, p in enumerate(writer.pages):
        p.merge_page(stamps[number])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _render(document: Document) -> RenderedFile:
    case = Case.objects.select_related("school", "pupil", "officer").get(
        pk=document.params["case_id"]
    )
    if document.requested_by is None:
        raise ValueError("The person who asked for this document no longer has an account.")
    if document.kind == COURT_BUNDLE:
        return RenderedFile(
            f"court-bundle-case-{case.pk}.pdf", court_bundle_pdf(case, document.requested_by)
        )
    section = "formal_warning" if document.kind == FORMAL_WARNING else "final_warning"
    return RenderedFile(f"{section.replace('_', '-')}-case-{case.pk}.pdf", part_pdf(case, section))


def _may_access(user: User, params: dict[str, Any]) -> bool:
    from referrals.cases.selectors import case_get_for

    if not user.is_authenticated or not user.is_authority_staff:
        return False
    try:
        case_get_for(user, params["case_id"])
    except Http404:
        return False
    return True


def _back_url(params: dict[str, Any]) -> str:
    return reverse("cases:case", args=[params["case_id"]])


def case_document_request(*, case: Case, kind: str, requested_by: User) -> Document:
    """Ask for a letter or the bundle as the case stands now (a later move makes a new one)."""
    version = f"{case.status}:{case.events.count()}:{timezone.localdate():%Y%m%d}"
    return document_request(
        kind=kind,
        key=f"{kind}:{case.pk}:{version}",
        requested_by=requested_by,
        params={"case_id": case.pk},
    )


AVAILABLE: Final = {**LETTERS, COURT_BUNDLE: "Court bundle"}
# What each document needs on the case before it can be produced.
NEEDS: Final = {
    FORMAL_WARNING: ("send_formal_warning",),
    FINAL_WARNING: ("send_final_warning",),
    COURT_BUNDLE: ("hold_aim", "send_formal_warning", "send_final_warning", "offer_pace"),
}


def available(case: Case, kind: str) -> bool:
    return case.kind == "statutory" and all(step in case.data for step in NEEDS[kind])


def register_case_documents() -> None:
    """Called from CasesConfig.ready()."""
    labels = {**LETTERS, COURT_BUNDLE: "Court bundle"}
    for kind, label in labels.items():
        register(DocumentKind(kind, label, _render, _may_access, _back_url))
