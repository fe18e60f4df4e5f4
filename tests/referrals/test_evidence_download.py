"""Evidence downloads under a safe name with the extension of the file's real type
(issue 15, item 5): the name a person uploaded is never a path or another type."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from referrals.models import Submission
from referrals.uploads import TYPES, UNKNOWN_TYPE, download_name

PDF = TYPES["pdf"]


@pytest.mark.parametrize(
    ("uploaded", "file_type", "expected"),
    [
        ("letter.pdf", PDF, "letter.pdf"),
        ("../../evil.html", PDF, "evil.pdf"),
        ("..\\..\\Windows\\evil.html", PDF, "evil.pdf"),
        ("scan.PDF.exe", PDF, "scan-PDF.pdf"),
        ("photo.jpeg", TYPES["jpeg"], "photo.jpg"),
        ('a"; filename="x.html', PDF, "a-filename-x.pdf"),
        ("<script>.pdf", PDF, "script.pdf"),
        ("...", PDF, "evidence-7.pdf"),
        ("", TYPES["png"], "evidence-7.png"),
        (".htaccess", PDF, "htaccess.pdf"),
        ("report\r\nSet-Cookie: x.docx", TYPES["docx"], "report-Set-Cookie-x.docx"),
        ("notes.txt", UNKNOWN_TYPE, "notes.bin"),
        ("x" * 300 + ".pdf", PDF, "x" * 100 + ".pdf"),
    ],
)
def test_download_name(uploaded, file_type, expected):  # type: ignore[no-untyped-def]
    assert download_name(uploaded, file_type, fallback="evidence-7") == expected


@pytest.mark.django_db
def test_a_pdf_uploaded_as_an_html_path_downloads_as_a_pdf(world):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.head)
    response = client.post("/dfd/statutory-attendance-intervention/")
    evidence_step = response.url.rsplit("/", 2)[0] + "/evidence/"
    upload = SimpleUploadedFile("../../evil.html", b"%PDF-1.7 evidence", content_type="text/html")
    assert client.post(evidence_step, {"action": "upload", "evidence": upload}).status_code == 302
    evidence = Submission.objects.get().evidence.get()

    download = client.get(f"/dfd/evidence/{evidence.pk}/")

    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="evil.pdf"'
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    assert b"".join(download.streaming_content) == b"%PDF-1.7 evidence"


@pytest.mark.django_db
def test_the_type_is_read_again_from_the_stored_bytes(world):  # type: ignore[no-untyped-def]
    """A stored file whose bytes are not what was recorded (changed on disk, or recorded
    before checks existed) is served as what it is now, not as the recorded type."""
    client = Client()
    client.force_login(world.head)
    response = client.post("/dfd/statutory-attendance-intervention/")
    evidence_step = response.url.rsplit("/", 2)[0] + "/evidence/"
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.7 scan", content_type="application/pdf")
    client.post(evidence_step, {"action": "upload", "evidence": upload})
    evidence = Submission.objects.get().evidence.get()
    with open(evidence.file.path, "wb") as stored:
        stored.write(b"<html><script>alert(1)</script></html>")

    download = client.get(f"/dfd/evidence/{evidence.pk}/")

    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"] == 'attachment; filename="scan.bin"'
