"""A headteacher uploads their MIS export in a real browser: check, confirm, result; a file
with problems; a large file with its progress page. Every page is checked with axe-core.

Set KPAS_SCREENSHOT_DIR to keep a screenshot of each page for looking at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kpas.base.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SCHOOL_URN
from schools import uploads
from schools.models import ImportBatch, Mark, School
from schools.upload_tasks import apply_import_task, check_import_task

from .pages import SignInPage, Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEAD = DEMO_ACCOUNTS[0]
Status = ImportBatch.Status


def screenshot(site: Site, name: str) -> None:
    folder = os.environ.get("KPAS_SCREENSHOT_DIR")
    if folder:
        site.page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.fixture
def private_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def head(site: Site, demo_accounts, private_media) -> Site:  # type: ignore[no-untyped-def]
    SignInPage(site).open().sign_in(HEAD.email, DEMO_PASSWORD)
    assert site.heading == HEAD.home_heading
    return site


def marks_file(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("urn,upn,date,session,mark\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def last_day_rows() -> list[str]:
    """The school's last register day for two pupils: the morning as held, the afternoon
    corrected to M (a medical appointment)."""
    school = School.objects.get(urn=DEMO_SCHOOL_URN)
    last = Mark.objects.filter(school=school).latest("date").date
    rows = []
    for mark in (
        Mark.objects.filter(school=school, date=last, session=0)
        .select_related("pupil")
        .order_by("pupil__upn")[:2]
    ):
        rows.append(f"{school.urn},{mark.pupil.upn},{last.isoformat()},AM,{mark.code}")
        rows.append(f"{school.urn},{mark.pupil.upn},{last.isoformat()},PM,M")
    return rows


def open_upload_form(site: Site) -> None:
    site.goto(f"/schools/{DEMO_SCHOOL_URN}/imports/")
    assert site.heading == "Files received"
    site.click_and_load(site.page.get_by_role("button", name="Upload a file"))
    assert site.heading == "Upload a file from your MIS"


def send(site: Site, path: Path, kind: str = "Register marks (CSV)") -> None:
    site.page.get_by_label(kind).check()
    site.page.get_by_label("Upload the file").set_input_files(str(path))
    site.click_and_load(site.page.get_by_role("button", name="Upload and check the file"))


def test_headteacher_uploads_marks_checks_them_and_applies_them(head: Site, tmp_path):
    site = head
    open_upload_form(site)
    screenshot(site, "upload-form")
    send(site, marks_file(tmp_path, "friday-marks.csv", last_day_rows()))

    assert site.heading == "Check what the file will change"
    table = site.page.locator("table.govuk-table")
    assert "Register marks" in table.inner_text()
    assert site.page.get_by_role("button", name="Confirm and apply").is_visible()
    screenshot(site, "preview")
    batch = ImportBatch.objects.get(source="upload")
    assert batch.status == Status.PREVIEWED
    changed = batch.counts["marks"]["updated"] + batch.counts["marks"]["added"]
    assert changed >= 1

    site.click_and_load(site.page.get_by_role("button", name="Confirm and apply"))
    assert site.page.locator(".govuk-panel__title").inner_text() == "File applied"
    screenshot(site, "result")
    batch.refresh_from_db()
    assert batch.status == Status.APPLIED

    # Going back finds the result, not the confirm button: the file's address shows where
    # it has got to (a second confirmation would change nothing anyway: test_uploads.py).
    site.page.go_back()
    site.check_accessibility()
    assert site.heading == "File applied"
    assert site.page.get_by_role("button", name="Confirm and apply").count() == 0

    site.click_and_load(site.page.get_by_role("link", name="all the files received"))
    assert "friday-marks.csv" in site.page.locator("table").inner_text()
    assert "Applied" in site.page.locator("table").inner_text()
    screenshot(site, "history")


def test_a_file_with_problems_shows_each_one(head: Site, tmp_path):
    site = head
    open_upload_form(site)
    rows = last_day_rows()
    rows[1] = rows[1].replace(",PM,", ",EVENING,")
    rows.append(rows[0].replace(DEMO_SCHOOL_URN, "118002", 1))
    send(site, marks_file(tmp_path, "bad-marks.csv", rows))

    assert site.heading == "The file was not applied"
    summary = site.error_summary()
    assert summary.get_by_role("heading").inner_text() == "There is a problem"
    links = site.error_summary_links()
    assert links[0][0] == "Line 3: session: 'EVENING' is not AM or PM" and links[0][1] == "#line-3"
    assert links[1][1] == "#line-6" and "is not your school" in links[1][0]
    assert "Whole file" not in site.page.locator("#problems + div table").inner_text()
    screenshot(site, "rejected")

    # A PDF chosen as the marks CSV is refused on the form itself.
    site.click_and_load(site.page.get_by_role("link", name="Upload the corrected file"))
    pdf = tmp_path / "register.pdf"
    pdf.write_bytes(b"%PDF-1.7\n1 0 obj << >> endobj\n")
    send(site, pdf)
    assert site.title.startswith("Error: Upload a file")
    assert site.error_summary_links() == [(
        uploads.IS_PDF.format(what="a CSV"), "#file"
    )]  # fmt: skip
    screenshot(site, "wrong-type")


def test_a_large_file_shows_its_progress(head: Site, tmp_path, monkeypatch):
    """Files over the inline limit go to a worker; the tasks are run here, for real, while
    the page watches (the queueing itself is what tests/schools/test_tasks.py covers)."""
    monkeypatch.setattr(uploads, "INLINE_MAX_BYTES", 0)
    monkeypatch.setattr("schools.upload_service.import_check_queue", lambda pk: None)
    monkeypatch.setattr("schools.upload_service.import_apply_queue", lambda pk: None)
    site = head
    open_upload_form(site)
    send(site, marks_file(tmp_path, "term-marks.csv", last_day_rows()))

    assert site.heading == "Checking your file"
    assert site.page.get_by_role("progressbar").get_attribute("aria-valuenow") == "10"
    assert "Waiting for a worker" in site.page.locator("#progress-label").inner_text()
    screenshot(site, "progress-checking")
    batch = ImportBatch.objects.get(source="upload")
    with site.navigation():
        check_import_task(batch.pk)  # the page's script sees it finish and moves on
    assert site.heading == "Check what the file will change"

    site.click_and_load(site.page.get_by_role("button", name="Confirm and apply"))
    assert site.heading == "Applying your file"
    screenshot(site, "progress-applying")
    with site.navigation():
        assert apply_import_task(batch.pk) == Status.APPLIED
    assert site.page.locator(".govuk-panel__title").inner_text() == "File applied"
