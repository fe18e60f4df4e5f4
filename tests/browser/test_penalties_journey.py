"""Issue 11 item 11's journey in Chromium: a school sends a penalty notice request through the
Digital Front Door; the Courts Team checks it, issues notices to two parents, prints the day's
run (a real worker renders it), records one payment and withdraws the other notice. Every
page is axe-checked (pages.Site)."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from penalties.models import PenaltyNotice, PenaltyRequest
from schools.models import Parent, PupilParent

# The front door journeys' fixtures: the small demo, a fixed today, a truant with 10 G.
from .test_dfd_pathways import COURTS, HEAD, FrontDoor, door, world  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # The worker renders letters while the next notice is issued: SQLite's shared in-memory
    # test database locks the table; PostgreSQL (as in production) does not.
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="concurrent reader and writer need PostgreSQL"
    ),
]


def _two_parents(truant):  # type: ignore[no-untyped-def]
    """The truant with two parents known to the authority, and no history of their own."""
    PenaltyRequest.objects.filter(pupil=truant).delete()
    PenaltyNotice.objects.filter(pupil=truant).delete()
    if PupilParent.objects.filter(pupil=truant).count() < 2:
        other = Parent.objects.create(
            parent_ref=f"P-J{truant.pk}", title="Mr", forename="Sam", surname="Second"
        )
        PupilParent.objects.create(pupil=truant, parent=other, contact_priority=2)
    names = []
    for parent in Parent.objects.filter(child_links__pupil=truant).order_by("child_links"):
        if not parent.parent_ref:
            parent.parent_ref = f"P-J{parent.pk}"
            parent.save(update_fields=["parent_ref"])
        names.append(" ".join(p for p in (parent.title, parent.forename, parent.surname) if p))
    return names


def _send_request(front: FrontDoor, truant) -> str:  # type: ignore[no-untyped-def]
    front.begin(HEAD, "penalty-notice", "Request a penalty notice")
    front.choose_pupil(truant, flags_none=True)
    front.tick("Headteacher's authorisation", "I am the headteacher and I authorise this request")
    front.continue_()
    front.expect("The threshold and the case")
    front.choose("Which case is this?", "Leave of absence not authorised (G)")
    front.continue_()
    front.yes("Did the parents ask for the leave?")
    from datetime import date

    front.date("First day of the leave", date(2026, 11, 16))
    front.date("Last day of the leave", date(2026, 11, 20))
    front.continue_()
    front.expect("Each parent")
    for index in range(front.page.locator(".dfd-group__item").count()):
        front.choose(
            "Penalty notices for this child since 19 August 2024, in the last 3 school years",
            "None",
            within=f"Parent {index + 1}",
        )
    front.continue_()
    front.no("Are there any safeguarding concerns about the pupil?")
    front.no("Is the pupil known to Early Help or children's social care?")
    front.yes("Have your duties under the Equality Act 2010 been considered and met?")
    front.yes("Does your attendance policy explain the national framework for penalty notices?")
    front.continue_()
    return front.send("Send request")


def test_a_request_becomes_two_notices_one_paid_one_withdrawn(  # type: ignore[no-untyped-def]
    door,  # noqa: F811
    world,  # noqa: F811
    celery_worker_all_queues,
):
    names = _two_parents(world["truant"])
    reference = _send_request(door, world["truant"])
    door.sign_out()

    # The Courts Team finds the request and reads the checklist for each parent.
    door.sign_in(COURTS)
    site, page = door.site, door.page
    site.click_and_load(page.get_by_role("link", name="Penalty notices", exact=True))
    door.expect("Penalty notice requests")
    site.click_and_load(page.get_by_role("link", name=reference, exact=True))
    door.expect(f"Penalty notice request {reference}")
    main = page.inner_text("main")
    assert "10 sessions within 10 school weeks" in main and "Not met" not in main, main
    assert "The registration certificate" in main

    # Issue to both parents, then print the day's run as one PDF.
    for name in names[:2]:
        button = page.get_by_role("button", name=f"Issue the notice to {name}")
        site.click_and_load(button)
        assert "issued to" in page.inner_text(".govuk-notification-banner, main")
    site.click_and_load(page.get_by_role("link", name="Back to requests"))
    site.click_and_load(page.get_by_role("link", name="Issued notices and the day's print run"))
    door.expect("Penalty notices issued")
    site.click_and_load(page.get_by_role("button", name="Print the day's notices (PDF)"))
    door.expect("Penalty notices print run")
    link = page.get_by_role("link", name=f"Download penalty-notices-{timezone.localdate():%Y%m%d}")
    try:
        link.wait_for(timeout=60_000)
    except Exception:
        raise AssertionError(page.inner_text("main")) from None
    with page.expect_download() as download:
        link.click()
    text = " ".join(
        p.extract_text() for p in PdfReader(BytesIO(download.value.path().read_bytes())).pages
    )
    text = " ".join(text.split())
    notices = list(PenaltyNotice.objects.filter(pupil=world["truant"]).order_by("reference"))
    assert len(notices) == 2 and "Number of notices 2" in text
    assert all(n.reference in text for n in notices)

    # One parent pays the reduced amount; the other notice is withdrawn (wrong person).
    paid, withdrawn = notices
    site.goto("/penalties/notices/")
    site.click_and_load(page.get_by_role("link", name=paid.reference, exact=True))
    page.get_by_label("Amount in pounds").fill("80")
    site.click_and_load(page.get_by_role("button", name="Record the payment"))
    assert "Status Paid" in " ".join(page.inner_text("main").split())
    site.goto("/penalties/notices/")
    site.click_and_load(page.get_by_role("link", name=withdrawn.reference, exact=True))
    page.get_by_label("Issued to the wrong person").check()
    site.click_and_load(page.get_by_role("button", name="Withdraw the notice"))
    main = " ".join(page.inner_text("main").split())
    assert "Status Withdrawn: Issued to the wrong person" in main
    assert "Withdrawn: Issued to the wrong person." in main  # the timeline, with who
    paid.refresh_from_db()
    withdrawn.refresh_from_db()
    assert (paid.status, paid.amount_paid) == ("paid", 8000)
    assert (withdrawn.status, withdrawn.withdrawn_ground) == ("withdrawn", "wrong_person")
