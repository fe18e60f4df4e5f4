"""Uploading MIS exports in the browser: check, preview, confirm once, progress, history."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kpas.base.models import AuditEvent
from kpas.base.roles import Role
from schools import uploads
from schools.imports.common import OTHER_SCHOOL
from schools.models import ImportBatch, Mark, MarkChange, SchoolMembership
from schools.upload_tasks import apply_import_task, check_import_task
from schools.uploads import (
    CHOOSE_FILE,
    CHOOSE_KIND,
    FILE_TOO_LARGE,
    IS_PDF,
    IS_SPREADSHEET,
    IS_XML_NOT_CSV,
    MUST_BE_CSV,
    MUST_BE_XML,
    file_content_problem,
    megabytes,
)
from tests.factories import UserFactory
from tests.factories.register import fill, pupil_at, school_with_terms

pytestmark = pytest.mark.django_db

Status = ImportBatch.Status
DAY1, DAY2 = date(2025, 9, 8), date(2025, 9, 9)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    """Two schools; a pupil at the first with the register for 8 September already held."""
    school = school_with_terms(urn="118001", name="Oakfield Primary School")
    other = school_with_terms(urn="118002", name="Medway Valley Academy")
    pupil, classmate = pupil_at(school), pupil_at(school)
    fill(school, pupil, DAY1, DAY1)  # / and \ on 8 September
    head = UserFactory(role=Role.HEADTEACHER, full_name="Helen Hart")
    SchoolMembership.objects.create(user=head, school=school)
    return {"school": school, "other": other, "pupil": pupil, "classmate": classmate,
            "head": head}  # fmt: skip


def marks_csv(*rows: tuple[str, str, date, str, str]) -> bytes:
    lines = ["urn,upn,date,session,mark"]
    lines += [f"{urn},{upn},{day.isoformat()},{session},{code}" for urn, upn, day, session, code
              in rows]  # fmt: skip
    return ("\n".join(lines) + "\n").encode()


def good_file(world) -> bytes:  # type: ignore[no-untyped-def]
    """One mark unchanged, one corrected, four new."""
    urn, upn, other_upn = world["school"].urn, world["pupil"].upn, world["classmate"].upn
    return marks_csv(
        (urn, upn, DAY1, "AM", "/"),  # unchanged
        (urn, upn, DAY1, "PM", "I"),  # was \: a correction
        (urn, upn, DAY2, "AM", "/"),
        (urn, upn, DAY2, "PM", "\\"),
        (urn, other_upn, DAY2, "AM", "L"),
        (urn, other_upn, DAY2, "PM", "\\"),
    )


def upload(client, school, data: bytes, *, kind="marks", name="marks.csv"):  # type: ignore[no-untyped-def]
    return client.post(
        f"/schools/{school.urn}/imports/upload/",
        {"kind": kind, "file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def only_batch() -> ImportBatch:
    return ImportBatch.objects.get()


# --- preview ---------------------------------------------------------------------------------
def test_preview_shows_what_would_change_and_writes_nothing(world, client, private_media):
    client.force_login(world["head"])
    marks_before = Mark.objects.count()
    response = upload(client, world["school"], good_file(world))

    batch = only_batch()
    assert response.status_code == 302
    assert response["Location"] == f"/schools/118001/imports/{batch.pk}/"
    assert batch.status == Status.PREVIEWED
    assert (batch.kind, batch.school, batch.uploaded_by) == (
        "marks",
        world["school"],
        world["head"],
    )
    assert batch.source == "upload" and batch.rows_total == 6
    assert batch.counts["marks"] == {"added": 4, "updated": 1, "unchanged": 1}
    # Kept privately under MEDIA_ROOT/imports/, under a name of our own.
    stored = private_media / batch.stored_file
    assert batch.stored_file.startswith("imports/118001/") and stored.read_bytes()
    assert "marks.csv" not in batch.stored_file
    assert Mark.objects.count() == marks_before and not MarkChange.objects.exists()

    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Check what the file will change" in html
    assert "Confirm and apply" in html
    assert "Register marks" in html
    cells = [c.split("<")[0].strip() for c in html.split('govuk-table__cell--numeric">')[1:]]
    assert cells == ["4", "1", "1"]


def test_refused_file_lists_every_rejected_line_and_applies_nothing(world, client):
    client.force_login(world["head"])
    urn, upn = world["school"].urn, world["pupil"].upn
    bad = marks_csv(
        (urn, upn, DAY2, "AM", "/"),
        (urn, upn, DAY2, "XX", "/"),  # line 3: bad session
        (urn, upn, DAY2, "PM", "H"),  # line 4: H is not a 2024 code
        (urn, "A999999999999", DAY2, "AM", "/"),  # line 5: no such pupil
    )
    response = upload(client, world["school"], bad)
    batch = only_batch()
    assert batch.status == Status.REJECTED
    assert [e.split(":")[0] for e in batch.errors] == ["line 3", "line 4", "line 5"]

    html = client.get(response["Location"]).content.decode()
    assert "<title>Error: The file was not applied" in html
    assert "govuk-error-summary" in html and "There is a problem" in html
    assert "The file has 3 problems. Nothing in it was applied." in html
    assert '<a href="#line-3">Line 3: session: &#x27;XX&#x27; is not AM or PM</a>' in html
    assert 'id="line-4"' in html and "is not a register code on 2025-09-09" in html
    assert "Confirm and apply" not in html
    assert Mark.objects.filter(date=DAY2).count() == 0


def test_many_problems_are_paginated(world, client):
    client.force_login(world["head"])
    urn, upn = world["school"].urn, world["pupil"].upn
    rows = [(urn, upn, DAY2, "NOON", "/")] * 250
    response = upload(client, world["school"], marks_csv(*rows))
    first = client.get(response["Location"]).content.decode()
    assert "The file has 250 problems" in first
    assert 'id="line-2"' in first and 'id="line-101"' in first and 'id="line-102"' not in first
    assert 'aria-label="Page 3"' in first
    third = client.get(response["Location"] + "?page=3").content.decode()
    assert 'id="line-251"' in third and 'id="line-201"' not in third


def test_another_schools_rows_are_refused(world, client):
    client.force_login(world["head"])
    rows = [(world["other"].urn, world["pupil"].upn, DAY2, "AM", "/")]
    response = upload(client, world["school"], marks_csv(*rows))
    batch = only_batch()
    assert batch.status == Status.REJECTED
    assert batch.errors == [
        "line 2: " + OTHER_SCHOOL.format(value=world["other"].urn, urn=world["school"].urn)
    ]
    assert "you can only send your own school" in client.get(response["Location"]).content.decode()


# --- refused before anything is stored ---------------------------------------------------------
def form_errors(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "<title>Error: Upload a file" in html
    return html


def test_oversize_file_is_refused_with_a_clear_error(world, client, settings):
    settings.MAX_IMPORT_FILE_BYTES = 100
    client.force_login(world["head"])
    html = form_errors(upload(client, world["school"], good_file(world)))
    assert f'<a href="#file">{FILE_TOO_LARGE.format(limit="100 bytes")}</a>' in html
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("size", "text"),
    [(200 * 1024 * 1024, "200 MB"), (512 * 1024, "512 KB"), (1536, "1.5 KB"), (100, "100 bytes")],
)
def test_size_limits_read_plainly(size, text):  # type: ignore[no-untyped-def]
    assert megabytes(size) == text


def test_a_pdf_sent_as_a_csv_is_refused(world, client):
    client.force_login(world["head"])
    html = form_errors(
        upload(client, world["school"], b"%PDF-1.7\n%\xe2\xe3\n1 0 obj", name="x.csv")
    )
    assert IS_PDF.format(what="a CSV") in html
    assert not ImportBatch.objects.exists()


def test_missing_file_and_kind_are_errors(world, client):
    client.force_login(world["head"])
    html = form_errors(client.post("/schools/118001/imports/upload/", {}))
    assert f'<a href="#kind">{CHOOSE_KIND}</a>' in html
    assert f'<a href="#file">{CHOOSE_FILE}</a>' in html


@pytest.mark.parametrize(
    ("kind", "name", "head", "problem"),
    [
        pytest.param("marks", "m.csv", b"urn,upn,date,session,mark\n", None, id="csv"),
        pytest.param("marks", "m.txt", b"\xef\xbb\xbfurn,upn\n", None, id="txt-with-bom"),
        pytest.param("marks", "m.xlsx", b"PK\x03\x04\x14\x00", IS_SPREADSHEET, id="xlsx"),
        pytest.param("marks", "m.xls", b"\xd0\xcf\x11\xe0\xa1\xb1", IS_SPREADSHEET, id="xls"),
        pytest.param("pupils", "p.csv", b"<?xml version='1.0'?><CTfile>", IS_XML_NOT_CSV,
                     id="xml-as-csv"),
        pytest.param("marks", "m.pdf", b"urn,upn\n", MUST_BE_CSV, id="wrong-extension"),
        pytest.param("ctf", "c.xml", b"\n<?xml version='1.0'?><CTfile>", None, id="ctf"),
        pytest.param("ctf", "c.csv", b"urn,upn\n", MUST_BE_XML, id="csv-as-ctf"),
        pytest.param("ctf", "c.xml", b"%PDF-1.4", IS_PDF.format(
            what="an XML Common Transfer File"), id="pdf-as-ctf"),
    ],
)  # fmt: skip
def test_file_type_is_checked_against_the_kind(kind, name, head, problem):
    assert file_content_problem(kind, name, head) == problem


def test_school_staff_cannot_send_the_authoritys_files(world, client):
    client.force_login(world["head"])
    calendar = b"urn,start,end,kind,description\n,2025-09-01,2025-12-19,term,Autumn\n"
    html = form_errors(upload(client, world["school"], calendar, kind="calendar", name="c.csv"))
    assert CHOOSE_KIND in html
    assert not ImportBatch.objects.exists()


# --- confirm and apply ---------------------------------------------------------------------------
def test_confirm_applies_the_file_once(world, client):
    client.force_login(world["head"])
    upload(client, world["school"], good_file(world))
    batch = only_batch()
    confirm = f"/schools/118001/imports/{batch.pk}/confirm/"

    first = client.post(confirm)
    second = client.post(confirm)  # a double click, or the form sent again
    assert first.status_code == second.status_code == 302
    batch.refresh_from_db()
    assert batch.status == Status.APPLIED
    assert batch.counts["marks"] == {"added": 4, "updated": 1, "unchanged": 1}
    assert batch.rows_done == 5 and batch.finished_at is not None
    assert Mark.objects.filter(date=DAY2).count() == 4
    assert MarkChange.objects.count() == 1
    assert Mark.objects.get(pupil=world["pupil"], date=DAY1, session=1).source_import == batch
    assert AuditEvent.objects.filter(action="import.confirmed").count() == 1
    assert AuditEvent.objects.filter(action="import.applied").count() == 1
    # The task, delivered late or twice, finds the work done.
    assert apply_import_task(batch.pk) == Status.APPLIED
    assert MarkChange.objects.count() == 1

    html = client.get(first["Location"]).content.decode()
    assert "File applied" in html and "What the file changed" in html


def test_the_same_file_again_changes_nothing(world, client):
    client.force_login(world["head"])
    upload(client, world["school"], good_file(world))
    client.post(f"/schools/118001/imports/{only_batch().pk}/confirm/")
    response = upload(client, world["school"], good_file(world), name="again.csv")
    again = ImportBatch.objects.get(filename="again.csv")
    assert again.status == Status.UNCHANGED
    assert "The file has already been applied" in client.get(response["Location"]).content.decode()


def test_a_large_file_is_checked_and_applied_by_the_tasks(
    world, client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(uploads, "INLINE_MAX_BYTES", 0)
    queued: list[tuple[str, int]] = []
    monkeypatch.setattr(
        "schools.upload_service.import_check_queue", lambda pk: queued.append(("check", pk))
    )
    monkeypatch.setattr(
        "schools.upload_service.import_apply_queue", lambda pk: queued.append(("apply", pk))
    )
    client.force_login(world["head"])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, world["school"], good_file(world))
    batch = only_batch()
    assert queued == [("check", batch.pk)] and batch.status == Status.RECEIVED
    page = client.get(response["Location"]).content.decode()
    assert "Checking your file" in page and 'role="progressbar"' in page
    assert "Refresh this page" in page and 'http-equiv="refresh"' in page
    progress_url = f"/schools/118001/imports/{batch.pk}/progress/"
    assert client.get(progress_url).json()["finished"] is False

    assert check_import_task(batch.pk) == Status.PREVIEWED  # the task, run for real
    assert check_import_task(batch.pk) == Status.PREVIEWED  # and again: nothing more
    assert client.get(progress_url).json()["finished"] is True
    assert "Confirm and apply" in client.get(response["Location"]).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/schools/118001/imports/{batch.pk}/confirm/")
        client.post(f"/schools/118001/imports/{batch.pk}/confirm/")
    assert queued[1:] == [("apply", batch.pk)]  # queued once
    progress = client.get(progress_url).json()
    assert (progress["status"], progress["finished"]) == ("processing", False)
    assert 0 < progress["percent"] < 100
    assert "Applying your file" in client.get(response["Location"]).content.decode()

    assert apply_import_task(batch.pk) == Status.APPLIED
    assert apply_import_task(batch.pk) == Status.APPLIED  # idempotent
    assert MarkChange.objects.count() == 1 and Mark.objects.filter(date=DAY2).count() == 4
    progress = client.get(progress_url).json()
    assert (progress["status"], progress["finished"], progress["percent"]) == ("applied", True, 100)


def test_unconfirmed_file_is_never_applied_by_the_task(world, client):
    client.force_login(world["head"])
    upload(client, world["school"], good_file(world))
    batch = only_batch()
    assert apply_import_task(batch.pk) == Status.PREVIEWED
    assert Mark.objects.filter(date=DAY2).count() == 0


# --- who may see and do what ---------------------------------------------------------------------
def test_history_lists_each_file_with_who_when_and_what(world, client):
    client.force_login(world["head"])
    upload(client, world["school"], good_file(world), name="monday.csv")
    client.post(f"/schools/118001/imports/{only_batch().pk}/confirm/")
    upload(client, world["school"], b"urn,upn\n1,2\n", name="broken.csv")

    html = client.get("/schools/118001/imports/").content.decode()
    assert "Files received" in html
    assert "monday.csv" in html and "broken.csv" in html
    assert html.index("broken.csv") < html.index("monday.csv")  # newest first
    assert "Helen Hart" in html and "Register marks (CSV)" in html
    assert "Applied" in html and "Rejected" in html
    assert "Register marks: 4 added, 1 changed" in html
    broken = ImportBatch.objects.get(filename="broken.csv")
    assert f'/schools/118001/imports/{broken.pk}/#problems">1 problem' in html


def test_other_schools_files_are_not_found(world, client):
    client.force_login(world["head"])
    upload(client, world["school"], good_file(world))
    batch = only_batch()
    stranger = UserFactory(role=Role.HEADTEACHER)
    SchoolMembership.objects.create(user=stranger, school=world["other"])
    client.force_login(stranger)
    assert client.get("/schools/118001/imports/").status_code == 404
    assert client.get(f"/schools/118001/imports/{batch.pk}/").status_code == 404
    assert client.get(f"/schools/118002/imports/{batch.pk}/").status_code == 404
    assert client.post(f"/schools/118002/imports/{batch.pk}/confirm/").status_code == 404
    assert client.get(f"/schools/118001/imports/{batch.pk}/progress/").status_code == 404
    assert client.get("/imports/").status_code == 404  # the authority's files
    batch.refresh_from_db()
    assert batch.status == Status.PREVIEWED


def test_officers_read_a_schools_files_but_do_not_upload(world, client):
    officer = UserFactory(role=Role.ATTENDANCE_OFFICER)
    world["school"].attendance_officer = officer
    world["school"].save()
    client.force_login(world["head"])
    upload(client, world["school"], good_file(world))
    client.force_login(officer)
    assert client.get("/schools/118001/imports/").status_code == 200
    assert client.get(f"/schools/118001/imports/{only_batch().pk}/").status_code == 200
    assert client.get("/schools/118001/imports/upload/").status_code == 403
    assert client.post(f"/schools/118001/imports/{only_batch().pk}/confirm/").status_code == 403


def test_service_admin_uploads_the_authoritys_calendar(world, client):
    admin = UserFactory(role=Role.SERVICE_ADMIN)
    client.force_login(admin)
    page = client.get("/imports/upload/").content.decode()
    assert "Calendar (CSV)" in page and "Schools (CSV)" in page
    calendar = b"urn,start,end,kind,description\n,2026-01-05,2026-02-13,term,Spring 1\n"
    response = client.post(
        "/imports/upload/",
        {"kind": "calendar", "file": SimpleUploadedFile("terms.csv", calendar)},
    )
    batch = only_batch()
    assert response["Location"] == f"/imports/{batch.pk}/"
    assert batch.school is None and batch.status == Status.PREVIEWED
    client.post(f"/imports/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert batch.status == Status.APPLIED
    assert "terms.csv" in client.get("/imports/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_large_file_goes_through_a_real_worker(
    world, client, monkeypatch, celery_worker_all_queues
):
    """Queued on commit to the configured broker and run by a Celery worker (no eager mode),
    reporting its stage through the result backend."""
    import time

    monkeypatch.setattr(uploads, "INLINE_MAX_BYTES", 0)
    client.force_login(world["head"])

    def wait_for(status: str) -> ImportBatch:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            batch = only_batch()
            if batch.status == status:
                return batch
            time.sleep(0.2)
        raise AssertionError(f"still {only_batch().status}, expected {status}")

    upload(client, world["school"], good_file(world))
    batch = wait_for(Status.PREVIEWED)
    client.post(f"/schools/118001/imports/{batch.pk}/confirm/")
    batch = wait_for(Status.APPLIED)
    assert batch.counts["marks"] == {"added": 4, "updated": 1, "unchanged": 1}
    assert MarkChange.objects.count() == 1


def test_marks_on_a_day_outside_the_term_dates_are_shown_as_things_to_check(world, client):  # type: ignore[no-untyped-def]
    """Issue 10 item 8: accepted (DOMAIN §13, a day with a possible-session mark is a school
    day for that school), and the school is shown the date and the line on both pages."""
    client.force_login(world["head"])
    saturday = date(2025, 9, 13)
    data = marks_csv((world["school"].urn, world["pupil"].upn, saturday, "AM", "/"))
    response = upload(client, world["school"], data)
    batch = only_batch()
    assert batch.status == Status.PREVIEWED and batch.errors == []
    assert len(batch.warnings) == 1 and batch.warnings[0].startswith("line 2: date 2025-09-13")
    preview = client.get(response["Location"]).content.decode()
    assert "Things to check (1)" in preview and "2025-09-13 (Saturday)" in preview
    client.post(f"/schools/118001/imports/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert batch.status == Status.APPLIED
    assert Mark.objects.filter(pupil=world["pupil"], date=saturday).exists()
    result = client.get(response["Location"]).content.decode()
    assert "Things to check (1)" in result and "2025-09-13 (Saturday)" in result
