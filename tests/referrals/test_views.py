"""The one set of views behind every pathway, through Django's test client: drafts kept in
the browser session or the account, nothing typed lost on an error, a double submit making
one submission, evidence served only through the checking view, queues and navigation."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from referrals import errors
from referrals.models import Submission
from referrals.pathways import PATHWAYS

from .conftest import valid_answers

pytestmark = pytest.mark.django_db
CME = "child-missing-education"


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def start(client: Client, slug: str = CME) -> str:
    response = client.post(f"/dfd/{slug}/")
    assert response.status_code == 302, response
    return response.url


def test_the_front_door_lists_the_forms_for_each_audience(world):  # type: ignore[no-untyped-def]
    anonymous = Client().get("/dfd/").content.decode()
    assert "Notify us of a potential child missing education" in anonymous
    assert "Request a penalty notice</a> \N{EN DASH} you need to sign in" in anonymous
    head = signed_in(world.head).get("/dfd/").content.decode()
    assert "10. Notify us of a part-time timetable" in head
    assert "Professional request" not in head
    officer = signed_in(world.ao).get("/dfd/").content.decode()
    assert "11. Professional request for KPAS advice or involvement" in officer


def test_without_an_account_a_draft_belongs_to_the_browser_session(world):  # type: ignore[no-untyped-def]
    browser = Client()
    first_step = start(browser)
    assert first_step.endswith("/about-you/")
    assert browser.get(first_step).status_code == 200
    assert Client().get(first_step).status_code == 404  # another browser
    assert signed_in(world.head).get(first_step).status_code == 404


def test_an_error_keeps_what_was_typed_and_links_to_the_question(world):  # type: ignore[no-untyped-def]
    browser = Client()
    url = start(browser)
    response = browser.post(
        url,
        {
            "referrer_name": "Pat <Reception>",
            "referrer_role": "Office",
            "referrer_email": "not-an-email",
            "school_urn": "118001",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: About you" in html
    assert '<a href="#id_referrer_email">Enter an email address in the correct format' in html
    assert 'value="Pat &lt;Reception&gt;"' in html  # kept, and escaped
    assert 'value="not-an-email"' in html


def test_add_another_keeps_the_rows_typed_so_far(world):  # type: ignore[no-untyped-def]
    client = signed_in(world.head)
    url = start(client, "attendance-or-sickness-return")
    assert url.endswith("/candidates/")
    url = client.post(url, {}).url
    response = client.post(
        url, {"action": "add:pupils", "pupils-count": "1", "pupils-0-upn": world.pupil.upn}
    )
    html = response.content.decode()
    assert 'name="pupils-count" value="2"' in html
    assert f'value="{world.pupil.upn}"' in html
    assert "Pupil 2" in html and "There is a problem" not in html


def test_a_double_submit_from_the_check_page_makes_one_submission(world, mailoutbox):  # type: ignore[no-untyped-def]
    client = signed_in(world.head)
    url = start(client)
    draft = Submission.objects.get()
    draft.answers = {**draft.answers, **valid_answers(CME, world)}
    draft.pupil = world.pupil
    draft.steps_done = [step.slug for step in PATHWAYS[CME].steps]
    draft.save()
    check = url.rsplit("/", 2)[0] + "/check/"
    page = client.get(check)
    assert page.status_code == 200 and "Check your answers before sending" in page.content.decode()
    first = client.post(check)
    second = client.post(check)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url and first.url.endswith("/sent/")
    assert Submission.objects.sent().count() == 1
    sent = client.get(first.url).content.decode()
    assert re.search(r"DFD-\d{4}-000001", sent)


def test_check_page_sends_you_back_to_an_unanswered_question(world):  # type: ignore[no-untyped-def]
    client = signed_in(world.head)
    url = start(client)
    check = url.rsplit("/", 2)[0] + "/check/"
    assert client.get(check).url == url


def test_save_and_come_back_later(world):  # type: ignore[no-untyped-def]
    client = signed_in(world.head)
    url = start(client)
    response = client.post(url, {"upn": world.pupil.upn, "action": "save"})
    assert response.url == "/dfd/submissions/"
    listing = client.get("/dfd/submissions/").content.decode()
    assert "Drafts" in listing and "Test Pupil" in listing


def test_evidence_is_downloaded_only_through_the_checking_view(world, settings):  # type: ignore[no-untyped-def]
    client = signed_in(world.head)
    url = start(client, "statutory-attendance-intervention")
    draft = Submission.objects.get()
    evidence_step = url.rsplit("/", 2)[0] + "/evidence/"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 letter", content_type="text/plain")
    response = client.post(evidence_step, {"action": "upload", "evidence": upload})
    assert response.status_code == 302
    evidence = draft.evidence.get()
    assert evidence.content_type == "application/pdf"
    download = client.get(f"/dfd/evidence/{evidence.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="letter.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == b"%PDF-1.4 letter"
    assert signed_in(world.sac).get(f"/dfd/evidence/{evidence.pk}/").status_code == 404
    assert Client().get(f"/dfd/evidence/{evidence.pk}/").status_code == 404
    assert Client().get(f"/media/private/{evidence.file.name}").status_code == 404

    wrong = SimpleUploadedFile("photo.png", b"not an image", content_type="image/png")
    refused = client.post(evidence_step, {"action": "upload", "evidence": wrong})
    assert refused.status_code == 200
    assert "The selected file must be a PDF, Word document" in refused.content.decode()


def test_the_queue_is_for_the_authoritys_staff(world):  # type: ignore[no-untyped-def]
    assert signed_in(world.head).get("/dfd/queue/").status_code == 404
    assert signed_in(world.ao).get("/dfd/queue/").status_code == 200
    assert Client().get("/dfd/queue/").status_code == 302  # to sign in


def test_navigation_shows_the_front_door_to_schools_and_the_queue_to_officers(world):  # type: ignore[no-untyped-def]
    school = signed_in(world.head).get("/dfd/submissions/").content.decode()
    assert "Digital Front Door" in school and "Your submissions" in school
    assert 'aria-current="page"' in school
    officer = signed_in(world.ao).get("/dfd/queue/").content.decode()
    assert ">Referrals<" in officer or "Referrals\n" in officer


def test_officer_actions_move_the_submission_and_write_the_timeline(world):  # type: ignore[no-untyped-def]
    from referrals import services

    from .conftest import TODAY

    sent, _ = services.submission_create(
        actor=world.head, pathway=PATHWAYS[CME], answers=valid_answers(CME, world), today=TODAY
    )
    officer = signed_in(world.ao)
    page = officer.get(f"/dfd/submissions/{sent.reference}/").content.decode()
    assert "Work on it" in page and "KPAS West area team" in page
    response = officer.post(
        f"/dfd/submissions/{sent.reference}/action/", {"action": "triage", "note": "Visit booked"}
    )
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == "triaged"
    no_outcome = officer.post(f"/dfd/submissions/{sent.reference}/action/", {"action": "close"})
    # The GOV.UK error summary, linking to the question (issue 10 item 16).
    assert no_outcome.status_code == 400
    page = no_outcome.content.decode()
    assert "There is a problem" in page
    assert f'<a href="#id_note">{errors.CLOSE_OUTCOME_REQUIRED}</a>' in page
    sent.refresh_from_db()
    assert sent.status == "triaged"  # closing needs the outcome
    school = signed_in(world.head)
    assert "Work on it" not in school.get(f"/dfd/submissions/{sent.reference}/").content.decode()
    assert (
        school.post(
            f"/dfd/submissions/{sent.reference}/action/", {"action": "close", "note": "x"}
        ).status_code
        == 404
    )


def test_the_pupil_record_lists_the_pupils_submissions(world):  # type: ignore[no-untyped-def]
    from referrals import services

    from .conftest import TODAY

    sent, _ = services.submission_create(
        actor=world.head, pathway=PATHWAYS[CME], answers=valid_answers(CME, world), today=TODAY
    )
    page = signed_in(world.head).get(f"/schools/118001/pupils/{world.pupil.upn}/")
    assert page.status_code == 200
    assert sent.reference in page.content.decode()
