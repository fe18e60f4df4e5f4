"""Penalty notice letters as PDFs through the documents pipeline (kpas/base/documents/): one
document per notice, keyed by the notice's reference, so a letter is never lost or doubled
(the pipeline's acks_late, reject-on-worker-lost and sweeper do the rest), and the day's
batch print run as one PDF with a cover sheet.

What a notice states (Education (Penalty Notices) (England) Regulations 2007 reg 9, as amended
by SI 2024/210; KSAH §15 iv; DOMAIN §5): the grounds (the offence and the sessions), the
amounts and periods, how to pay, the consequences of not paying, and whom to contact.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from kpas.base.documents.registry import DocumentKind, RenderedFile, register
from kpas.base.documents.services import document_request
from kpas.base.models import Document, User
from kpas.base.roles import Role
from penalties.models import PenaltyNotice
from penalties.vocabulary import Case

NOTICE_LETTER: Final = "penalties.notice_letter"
BATCH: Final = "penalties.batch"
TEMPLATE: Final = "penalties/notice_letter_pdf.html"
COURTS_ROLES: Final = frozenset({Role.COURTS_TEAM, Role.SERVICE_ADMIN})
GROUNDS: Final = {
    Case.LEAVE: (
        "Your child was absent from school for 10 or more sessions of leave of absence that the "
        "school did not authorise (code G) within 10 school weeks. Failing to secure your "
        "child's regular attendance is an offence under section 444(1) of the Education Act 1996."
    ),
    Case.UNAUTHORISED: (
        "Your child was absent from school without authorisation for 10 or more sessions within "
        "10 school weeks, and was absent again without authorisation during the improvement "
        "period of the notice to improve you were given. Failing to secure your child's regular "
        "attendance is an offence under section 444(1) of the Education Act 1996."
    ),
    Case.EXCLUSION: (
        "Your child was present in a public place during school hours without reasonable "
        "justification in the first 5 school days of an exclusion, an offence under section 103 "
        "of the Education and Inspections Act 2006."
    ),
}


def payment_details() -> dict[str, str]:
    """How to pay and whom to contact, as every letter prints them: the LA settings
    (kpas/settings/base.py, Kent-like defaults; README "Configuration"), read here only."""
    return {
        "url": settings.PENALTY_PAYMENT_URL,
        "phone": settings.PENALTY_PAYMENT_PHONE,
        "post": settings.PENALTY_PAYMENT_POST,
        "contact_name": settings.PENALTY_CONTACT_NAME,
        "contact_phone": settings.PENALTY_CONTACT_PHONE,
        "contact_email": settings.PENALTY_CONTACT_EMAIL,
        "contact_address": settings.PENALTY_CONTACT_ADDRESS,
    }


def parent_address(parent: Any) -> list[str]:
    return [
        p for p in (parent.address_line_1, parent.address_line_2, parent.town, parent.postcode) if p
    ]


def parent_name(parent: Any) -> str:
    return " ".join(p for p in (parent.title, parent.forename, parent.surname) if p)


def _threshold(stored: dict[str, Any] | None) -> dict[str, Any] | None:
    """The window as stored (ISO dates) with dates a letter prints."""
    if not stored:
        return None
    return {
        "from": date.fromisoformat(stored["from"]),
        "to": date.fromisoformat(stored["to"]),
        "sessions": [
            {**s, "date": date.fromisoformat(s["date"])} for s in stored.get("sessions", [])
        ],
    }


def letter_context(notice: PenaltyNotice) -> dict[str, Any]:
    issue = notice.issue
    parent = notice.parent
    return {
        "notice": notice,
        "issue": issue,
        "parent_name": parent_name(parent),
        "address": parent_address(parent),
        "pupil": notice.pupil,
        "school": issue.school,
        "grounds": GROUNDS[Case(notice.case)],
        "threshold": _threshold(issue.threshold),
        "exclusion": notice.case == Case.EXCLUSION,
        "second": issue.notice_number == 2,
    }


def _notices(ids: list[int]) -> list[PenaltyNotice]:
    rows = PenaltyNotice.objects.filter(pk__in=ids).select_related(
        "issue", "issue__school", "parent", "pupil"
    )
    return sorted(rows, key=lambda n: n.reference)


def letters_pdf(notices: list[PenaltyNotice], *, cover: dict[str, Any] | None = None) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDFs need it

    html = render_to_string(
        TEMPLATE,
        {
            "letters": [letter_context(n) for n in notices],
            "cover": cover,
            "pay": payment_details(),
            "authority_name": settings.AUTHORITY_NAME,
            "service_name": settings.SERVICE_NAME,
            "produced_at": timezone.localtime(),
        },
    )
    return bytes(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())


# --- the documents pipeline's kinds ------------------------------------------------------------
def notice_letter_request(*, notice: PenaltyNotice, requested_by: User) -> Document:
    """The notice's one letter (idempotent by the notice's reference)."""
    return document_request(
        kind=NOTICE_LETTER,
        key=f"{NOTICE_LETTER}:{notice.reference}",
        requested_by=requested_by,
        params={"notice_id": notice.pk, "reference": notice.reference},
    )


def batch_request(*, on: date, requested_by: User) -> Document | None:
    """The print run of the notices issued by post on `on`: one PDF, a cover sheet first.
    The key names the notices in it, so a run after a further notice is a new document."""
    ids = list(
        PenaltyNotice.objects.filter(
            source=PenaltyNotice.Source.ISSUED, issued_on=on, issue__delivery="post"
        )
        .order_by("reference")
        .values_list("pk", flat=True)
    )
    if not ids:
        return None
    return document_request(
        kind=BATCH,
        key=f"{BATCH}:{on:%Y%m%d}:{len(ids)}:{max(ids)}",
        requested_by=requested_by,
        params={"on": on.isoformat(), "notice_ids": ids},
    )


def _render_letter(document: Document) -> RenderedFile:
    notices = _notices([document.params["notice_id"]])
    return RenderedFile(f"penalty-notice-{document.params['reference']}.pdf", letters_pdf(notices))


def _render_batch(document: Document) -> RenderedFile:
    on = date.fromisoformat(document.params["on"])
    notices = _notices(document.params["notice_ids"])
    cover = {"on": on, "references": [n.reference for n in notices], "count": len(notices)}
    return RenderedFile(f"penalty-notices-{on:%Y%m%d}.pdf", letters_pdf(notices, cover=cover))


def _may_access(user: User, params: dict[str, Any]) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in COURTS_ROLES))


def register_letter_kinds() -> None:
    """Called from PenaltiesConfig.ready()."""
    back = lambda params: reverse("penalties:notices")  # noqa: E731
    register(DocumentKind(NOTICE_LETTER, "Penalty notice", _render_letter, _may_access, back))
    register(DocumentKind(BATCH, "Penalty notices print run", _render_batch, _may_access, back))
