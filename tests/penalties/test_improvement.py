"""Notices to improve (issue 11 item 6; DOMAIN §5): issued by the school from the pupil's
record as a PDF with the contents DOMAIN §5 lists, its 20-school-day period on the school's
calendar, and at its end whether there was further unauthorised absence."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from kpas.base.documents.services import document_render
from kpas.base.errors import ApplicationError, NotFound
from kpas.base.models import Document
from penalties.improvement import KIND, improvement_outcome, notice_to_improve_issue
from penalties.models import NoticeToImprove, PenaltyNotice
from schools.models import Parent
from tests.factories.register import set_marks
from tests.referrals.conftest import World

pytestmark = pytest.mark.django_db
POSTED = date(2025, 11, 24)  # a Monday


def _issue(world: World, **changes):  # type: ignore[no-untyped-def]
    values = {
        "actor": world.head,
        "school": world.school,
        "pupil": world.pupil,
        "parent": Parent.objects.get(forename="Alex"),
        "on": POSTED,
        "delivery": "post",
        "support_given": "Two attendance meetings and a home visit.",
        "support_available": "The school's family liaison officer, weekly.",
    } | changes
    return notice_to_improve_issue(**values)


def test_the_period_is_20_school_days_after_deemed_receipt(world):  # type: ignore[no-untyped-def]
    improvement = _issue(world)
    # Posted Monday 24 November: received Wednesday 26th (2nd working day). Day 1 is the next
    # school day, Thursday 27th; the 20th school day is Wednesday 24 December on the
    # factories' calendar unless the term ends first (then the period is not yet known).
    assert improvement.received_on == date(2025, 11, 26)
    assert improvement.notice.issued_on == date(2025, 11, 26)  # the row holds receipt
    assert improvement.notice.case == "notice_to_improve"
    assert improvement.period_start == date(2025, 11, 27)
    assert improvement.period_end is None or improvement.period_end > date(2025, 12, 19)
    assert _issue(world).pk == improvement.pk  # a second click issues nothing new


def test_only_the_schools_staff_issue_and_support_is_required(world):  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        _issue(world, actor=world.other_head)
    with pytest.raises(NotFound):
        _issue(world, actor=world.courts)
    with pytest.raises(ApplicationError):
        _issue(world, support_given=" ")
    assert not PenaltyNotice.objects.exists()


def test_the_outcome_says_whether_there_was_further_unauthorised_absence(world):  # type: ignore[no-untyped-def]
    improvement = _issue(world, on=date(2025, 9, 8))  # received 10 Sep; period ends in October
    assert improvement.period_end is not None
    before = improvement_outcome(improvement, today=improvement.period_end)
    assert not before.ended and not before.further_absence
    after = improvement_outcome(improvement, today=date(2025, 11, 28))
    assert after.ended and not after.further_absence
    set_marks(world.school, world.pupil, [(improvement.period_end, 1, "O")])
    after = improvement_outcome(improvement, today=date(2025, 11, 28))
    assert after.further_absence and after.sessions == [(improvement.period_end, "PM", "O")]


def test_the_school_issues_it_from_the_pupils_record_as_a_pdf(world, client):  # type: ignore[no-untyped-def]
    client.force_login(world.head)
    record = client.get(reverse("schools:pupil-detail", args=[world.school.urn, world.pupil.upn]))
    assert "Issue a notice to improve" in record.content.decode()
    url = reverse("penalties:improve", args=[world.school.urn, world.pupil.upn])
    parent = Parent.objects.get(forename="Alex")
    response = client.post(
        url,
        {
            "parent": parent.pk,
            "on": "2025-09-08",
            "delivery": "post",
            "support_given": "Two attendance meetings.",
            "support_available": "A family liaison officer.",
        },
    )
    assert response.status_code == 302
    improvement = NoticeToImprove.objects.get()
    document = Document.objects.get(key=f"{KIND}:{improvement.notice.reference}")
    rendered = document_render(document_id=document.pk)
    assert rendered is not None
    pages = PdfReader(BytesIO(rendered.content)).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    for expected in (
        "Notice to improve",
        "attendance record and the offence",  # the record and offences
        "section 444",
        "your duty as a parent",
        "Two attendance meetings.",
        "A family liaison officer.",
        "Warning:",
        "The improvement period is 20 school days",
        "Improvement means no unauthorised absence",
        "before the period ends",
    ):
        assert expected in text, expected
    # The record shows the period; the Courts Team cannot issue one.
    record = client.get(reverse("schools:pupil-detail", args=[world.school.urn, world.pupil.upn]))
    assert improvement.notice.reference in record.content.decode()
    client.force_login(world.courts)
    assert client.get(url).status_code == 404
