"""Warning letters and the court bundle through the documents pipeline, checked by text
extraction (DOMAIN §6; KSAH §15 iv)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from kpas.base.documents.services import document_render
from kpas.base.models import Document
from referrals.cases import documents, services
from referrals.cases.models import CaseEvent
from referrals.pathway_names import PathwayName

from .conftest import TODAY, sent_submission
from .test_services import STATUTORY_WALK

pytestmark = pytest.mark.django_db


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def pace_case(world):  # type: ignore[no-untyped-def]
    case = services.case_open(
        actor=world.ao,
        submission=sent_submission(world, PathwayName.STATUTORY_INTERVENTION),
        today=TODAY,
    )
    for action, given in STATUTORY_WALK[:6]:  # to the PACE interview held
        case = services.case_transition(
            actor=world.ao, case=case, action=action, given=given, today=TODAY
        )
    return case


def test_the_court_bundle_has_every_part_an_index_and_page_numbers(world, pace_case, client):  # type: ignore[no-untyped-def]
    client.force_login(world.ao)
    page = client.get(reverse("cases:case", args=[pace_case.pk])).content.decode()
    assert "Create the court bundle (PDF)" in page
    response = client.post(reverse("cases:document", args=[pace_case.pk, documents.COURT_BUNDLE]))
    document = Document.objects.get(kind=documents.COURT_BUNDLE)
    assert response.url == reverse("documents:progress", kwargs={"public_id": document.public_id})
    document_render(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == Document.Status.READY, (
        document.error if hasattr(document, "error") else ""
    )
    texts = pages_text(bytes(document.content))
    total = len(texts)
    index = texts[0]
    for title in (
        "The authority's copy of the attendance register (not a head teacher's certificate)",
        "Record of the attendance improvement meeting",
        "Formal warning letter",
        "Final warning letter",
        "Record of the interview under caution (PACE)",
        "Witness statement of the attendance officer",
    ):
        assert title in index
    assert f"{total} pages in all" in index
    for number, text in enumerate(texts, start=1):
        assert f"page {number} of {total}" in text
    joined = "\n".join(texts)
    assert "Attend daily" in joined  # the agreement, from the case
    assert "Statement of truth" in joined
    assert "AUTHORITY" in joined.upper() and "Formal warning: school attendance" in joined
    assert pace_case.events.filter(kind=CaseEvent.Kind.DOCUMENT).exists()


def test_a_warning_letter_is_not_offered_before_it_is_sent(world, client):  # type: ignore[no-untyped-def]
    case = services.case_open(
        actor=world.ao,
        submission=sent_submission(world, PathwayName.STATUTORY_INTERVENTION),
        today=TODAY,
    )
    client.force_login(world.ao)
    assert (
        client.post(reverse("cases:document", args=[case.pk, documents.FORMAL_WARNING])).status_code
        == 404
    )
    client.force_login(world.head)  # schools never produce casework documents
    assert (
        client.post(reverse("cases:document", args=[case.pk, documents.FORMAL_WARNING])).status_code
        == 404
    )
