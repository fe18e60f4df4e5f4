"""Issue 12 item 8's journey in Chromium: a school sends a statutory attendance intervention
request; the linked officer allocates it and accepts it into a case; the attendance
improvement meeting is scheduled and held with the agreement recorded; the formal warning
letter (a real worker renders it) and the final warning letter; a PACE interview offered and
its record; the court bundle downloaded and read (index, page references, the authority's copy
of the register labelled as such); an internal and a shared note; the case closed with an
outcome. The school then sees the shared note and the outcome, never the internal note.
Every page is axe-checked (pages.Site)."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.db import connection
from pypdf import PdfReader

from kpas.base.models import User
from referrals.cases.models import Case
from referrals.models import Submission
from schools.models import Mark

# The front door journeys' fixtures: the small demo, a fixed today, a truant with 10 G.
from .test_dfd_pathways import AO, HEAD, TODAY, FrontDoor, door, world  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # A real worker renders the letters and the bundle while the browser polls: SQLite's
    # shared in-memory test database locks; PostgreSQL (as in production) does not.
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="concurrent reader and writer need PostgreSQL"
    ),
]

INTERNAL = "Internal: father says he works nights; check with the police liaison."
SHARED = "Shared: the family has been told the case is closing; thank you for the referral."
INDEX = re.compile(
    r"Index Document Pages Index 1 The authority's copy of the attendance register \(not a head "
    r"teacher's certificate\) (\d+)(?:\u2013\d+)? Record of the attendance improvement meeting "
    r"(\d+)(?:\u2013\d+)? Formal warning letter (\d+)(?:\u2013\d+)? Final warning letter "
    r"(\d+)(?:\u2013\d+)? Record of the interview under caution \(PACE\) (\d+)(?:\u2013\d+)? "
    r"Witness statement of the attendance officer (\d+)(?:\u2013\d+)? (?P<total>\d+) pages in all"
)
OUTCOME = "Attendance improved to 96% after the PACE interview; no prosecution needed."


def _send_request(front: FrontDoor, pupil) -> str:  # type: ignore[no-untyped-def]
    front.begin(
        HEAD, "statutory-attendance-intervention", "Request statutory attendance intervention"
    )
    front.choose_pupil(pupil)
    front.expect("Attendance and part-time timetable")
    front.no("Is the pupil on a part-time timetable?")
    front.continue_()
    front.expect("Support tried")
    front.fill(
        "What support has the school and other services offered?",
        "Early Help referral, attendance contract, two meetings.",
    )
    front.choose("How have the parents engaged with it?", "Not engaged")
    front.fill("Tell us more about the parents' engagement", "Missed both meetings.")
    front.yes("Has an attendance contract been used?")
    front.continue_()
    front.expect("Each parent")
    front.continue_()
    front.expect("Evidence")
    front.continue_()
    return front.send("Send request")


def _move(front: FrontDoor, action: str, **values: str) -> None:
    """Open the step's disclosure on the case page, fill its fields by label, submit."""
    page = front.page
    form = page.locator(f"form[action$='/{action}/']")
    page.locator("details", has=form).locator("summary").click()
    for label, value in values.items():
        form.get_by_label(label, exact=True).fill(value)
    front.site.click_and_load(form.get_by_role("button"))
    assert front.site.error_summary().count() == 0, page.inner_text("main")


def _download(front: FrontDoor, button: str, filename: str) -> str:
    """Ask for a document, wait for the worker, download it; its text, spaces normalised."""
    page = front.page
    front.site.click_and_load(page.get_by_role("button", name=button))
    link = page.get_by_role("link", name=f"Download {filename}")
    try:
        link.wait_for(timeout=90_000)
    except Exception:
        raise AssertionError(page.inner_text("main")) from None
    with page.expect_download() as download:
        link.click()
    content = download.value.path().read_bytes()
    if os.environ.get("KPAS_SCREENSHOTS"):  # keep it to look at (pdftoppm -png)
        folder = Path(os.environ["KPAS_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / filename).write_bytes(content)
    reader = PdfReader(BytesIO(content))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_a_request_becomes_a_case_that_reaches_the_court_bundle_and_closes(  # type: ignore[no-untyped-def]
    door,  # noqa: F811
    world,  # noqa: F811
    celery_worker_all_queues,
):
    pupil = world["truant"]
    # No part-time timetable on the register: the statutory steps refuse to go on over C2.
    Mark.objects.filter(pupil=pupil, code="C2").update(code="O")
    reference = _send_request(door, pupil)
    door.sign_out()

    # Triage: the linked officer allocates it to themself and accepts it into a case.
    door.find_in_queue(AO, reference, "KPAS West area team")
    page, site = door.page, door.site
    officer = User.objects.get(email=AO.email)
    page.get_by_label("Allocate to", exact=True).select_option(value=str(officer.pk))
    site.click_and_load(page.get_by_role("button", name="Allocate", exact=True))
    assert Submission.objects.get(reference=reference).allocated_officer.email == AO.email
    site.click_and_load(page.get_by_role("button", name="Accept into a case"))
    case = Case.objects.get(submission__reference=reference)
    assert case.kind == "statutory" and case.officer.email == AO.email
    assert "Requested" in page.inner_text("main")

    # The attendance improvement meeting, scheduled then held with the agreement.
    _move(
        door,
        "schedule_aim",
        **{
            "The meeting date": (TODAY - timedelta(days=14)).isoformat(),
            "Who is invited": "Parents, head",
        },
    )
    _move(
        door,
        "hold_aim",
        **{
            "The date the meeting was held": (TODAY - timedelta(days=14)).isoformat(),
            "Who attended": "Mother, head teacher, attendance officer",
            "The attendance improvement agreement": "Full attendance; weekly check-ins.",
        },
    )
    # The two warning letters; the formal one is made by the worker and read.
    _move(
        door,
        "send_formal_warning",
        **{"The date the letter is sent": (TODAY - timedelta(days=10)).isoformat()},
    )
    letter = _download(
        door, "Create the formal warning letter (PDF)", f"formal-warning-case-{case.pk}.pdf"
    )
    assert pupil.surname in letter and "warning" in letter.lower(), letter[:400]
    site.goto(f"/cases/{case.pk}/")
    _move(
        door,
        "send_final_warning",
        **{"The date the letter is sent": (TODAY - timedelta(days=5)).isoformat()},
    )
    # The PACE interview: offered, then its record.
    _move(door, "offer_pace", **{"The interview date": (TODAY - timedelta(days=2)).isoformat()})
    _move(
        door,
        "hold_pace",
        **{
            "The date the interview was held": (TODAY - timedelta(days=2)).isoformat(),
            "Who attended": "Mother, attendance officer",
            "The record of the interview": "Mother accepts the absences were not authorised.",
        },
    )
    assert "PACE interview held" in page.inner_text("main")

    # The court bundle: index with page references, every part, the register's copy labelled.
    bundle = _download(door, "Create the court bundle (PDF)", f"court-bundle-case-{case.pk}.pdf")
    assert "Court bundle" in bundle and "Index Document Pages Index 1" in bundle, bundle[:600]
    # The index gives each part its pages, in order, and the total (then each page's stamp).
    index = INDEX.search(bundle)
    assert index is not None, bundle[:900]
    starts = [int(n) for n in index.groups()[:-1]]
    assert starts == sorted(starts) and starts[0] == 2, starts
    total = int(index.group("total"))
    assert f"Court bundle, case {case.pk} \u2013 page {total} of {total}" in bundle
    for part in (
        "The authority's copy of the attendance register (not a head teacher's certificate)",
        "Record of the attendance improvement meeting",
        "Formal warning letter",
        "Final warning letter",
        "Record of the interview under caution (PACE)",
        "Witness statement of the attendance officer",
    ):
        assert part in bundle, part
    assert f"Court bundle, case {case.pk} \u2013 page 1 of " in bundle
    assert "Full attendance; weekly check-ins." in bundle  # the AIM record's agreement

    # An internal note, a shared note, and the case closed with its outcome.
    site.goto(f"/cases/{case.pk}/")
    page.get_by_label("Note", exact=True).fill(INTERNAL)
    site.click_and_load(page.get_by_role("button", name="Add note"))
    page.get_by_label("Note", exact=True).fill(SHARED)
    page.get_by_label("Share this note with the school").check()
    site.click_and_load(page.get_by_role("button", name="Add note"))
    timeline = page.locator(".dfd-timeline").inner_text()
    assert INTERNAL in timeline and SHARED in timeline and "Shared with the school" in timeline
    _move(door, "close", **{"The reason for closing": OUTCOME})
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_at is not None
    door.sign_out()

    # The school sees the outcome and the shared note, never the internal one.
    door.sign_in(HEAD)
    site.goto(f"/dfd/submissions/{reference}/")
    main = " ".join(page.inner_text("main").split())
    assert "Closed" in main and OUTCOME in main, main
    site.click_and_load(page.get_by_role("link", name="Statutory attendance intervention"))
    main = page.inner_text("main")
    assert SHARED in main and "Closed" in main, main
    assert INTERNAL not in main and INTERNAL not in page.content()
