"""Registration certificates (EA96 s.566(1)(c); DOMAIN §2; KSAH §17, §25): the head teacher's
certificate a court receives, the authority's copy and a school's working copy."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from kpas.base.documents.services import document_render
from kpas.base.models import AuditEvent, Document
from kpas.base.roles import Role
from schools import certificate
from schools.certificate import (
    AUTHORITY_COPY,
    BANK_HOLIDAY,
    CODE_SET_2024,
    CODE_SET_PRE_2024,
    END_AFTER_ENROLMENT,
    END_BEFORE_START,
    END_IN_FUTURE,
    HEAD_CERTIFICATE,
    HOLIDAY,
    NOT_ON_ROLL,
    PERIOD_TOO_LONG,
    START_BEFORE_ENROLMENT,
    START_IN_FUTURE,
    WORKING_COPY,
    GapRow,
    WeekRow,
    certificate_content,
    certificate_kind_for,
    code_key,
    days_printed,
    long_date,
    period_problems,
    render_certificate,
)
from schools.models import Enrolment, ImportBatch, MarkChange, SchoolMembership, TermDate
from schools.views.certificate import ENTER_DATE, MUST_INCLUDE, NOT_REAL, YEAR_DIGITS
from tests.factories import UserFactory
from tests.factories.register import fill, pupil_at, school_with_terms, set_marks

pytestmark = pytest.mark.django_db

START, END = date(2025, 9, 8), date(2025, 9, 19)  # two school weeks, Monday to Friday
MON, TUE, WED, THU, FRI = (START + timedelta(days=i) for i in range(5))


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def register():  # type: ignore[no-untyped-def]
    """A pupil with two weeks of marks: 14 present (one late), one educational visit, one
    illness, two O and one N, and one X (not a possible session)."""
    school = school_with_terms(urn="118001", name="Oakfield Primary School", estab="2001")
    pupil = pupil_at(school, born=date(2016, 3, 14))
    pupil.forename, pupil.surname, pupil.preferred_forename = "Oliver", "Moore", "Olly"
    pupil.save()
    fill(school, pupil, START, END)
    set_marks(
        school,
        pupil,
        [(MON, 0, "O"), (MON, 1, "O"), (TUE, 0, "I"), (WED, 0, "L"), (THU, 1, "V"),
         (FRI, 0, "N"), (FRI, 1, "X")],
    )  # fmt: skip
    other = school_with_terms(urn="118002", name="Medway Valley Academy")
    return {"school": school, "pupil": pupil, "other": other}


@pytest.fixture
def courts():  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.COURTS_TEAM, full_name="Colin Carter")


def head_of(school):  # type: ignore[no-untyped-def]
    head = UserFactory(role=Role.HEADTEACHER, full_name="Helen Hart")
    SchoolMembership.objects.create(user=head, school=school)
    return head


def staff_of(school, role=Role.SENIOR_ATTENDANCE_CHAMPION):  # type: ignore[no-untyped-def]
    member = UserFactory(role=role, full_name="Sam Shaw")
    SchoolMembership.objects.create(user=member, school=school)
    return member


def registration_certificate_pdf(*, pupil, school, start, end, produced_by):  # type: ignore[no-untyped-def]
    """The document this user produces, rendered as the documents pipeline does (in a
    transaction)."""
    with transaction.atomic():
        return render_certificate(
            kind=certificate_kind_for(produced_by), pupil=pupil, school=school, start=start,
            end=end, produced_by=produced_by,
        )  # fmt: skip


def flat_text(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


# --- the document ----------------------------------------------------------------------------
def test_pdf_shows_the_pupil_school_totals_codes_and_who_produced_it(register, courts):
    pupil, school = register["pupil"], register["school"]
    pdf = registration_certificate_pdf(
        pupil=pupil, school=school, start=START, end=END, produced_by=courts
    )
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    flat = " ".join(text.split())

    assert pupil.upn in text
    assert "Oliver Moore" in flat  # the legal name, not the preferred one
    assert "Olly" not in flat
    assert "14 March 2016" in flat
    assert "Oakfield Primary School" in flat and "118001" in flat
    assert "886/2001" in flat  # LA/Estab
    assert "8 September 2025 to" in flat and "19 September 2025" in flat
    # Totals: 20 sessions, X is not possible -> 19 possible; 14 present + 1 V attended.
    assert re.search(r"Possible sessions 19\b", flat)
    assert re.search(r"Present \(including late before registers closed\) 14\b", flat)
    assert re.search(r"Approved educational activity 1\b", flat)
    assert re.search(r"Attended \(present and approved educational activity\) 15\b", flat)
    assert re.search(r"Authorised absence 1\b", flat)
    assert re.search(r"Unauthorised absence 3\b", flat)
    assert "78.95%" in flat
    # The code key explains every code used, with its category.
    for line in (
        "Absent in other or unknown circumstances Unauthorised absence",
        "Reason for absence not yet established Unauthorised absence",
        "Illness (not medical or dental appointment) Authorised absence",
        "Attending an educational visit or trip Approved educational",
        "Non-compulsory school age pupil not required to attend Not a possible session",
    ):
        assert line in flat, line
    # Who produced it, what it is and page numbers.
    assert "the authority's copy of the attendance register" in flat.lower()
    assert "Colin Carter, Courts Team, Kent County Council" in flat
    assert "Page 1 of" in flat


def test_production_is_audited_and_the_reference_printed(register, courts):
    pdf = registration_certificate_pdf(
        pupil=register["pupil"], school=register["school"], start=START, end=END,
        produced_by=courts,
    )  # fmt: skip
    event = AuditEvent.objects.get(action=certificate.AUDIT_ACTION)
    assert event.actor == courts
    assert event.object_id == str(register["pupil"].pk)
    assert event.detail["start"] == START.isoformat() and event.detail["upn"]
    assert event.detail["kind"] == AUTHORITY_COPY
    assert f"AC-{event.pk:06d}" in pdf_text(pdf)


def test_grid_is_by_week_with_holidays_and_closures_labelled(register):
    school, pupil = register["school"], register["pupil"]
    TermDate.objects.create(
        school=school,
        start=date(2025, 9, 26),
        end=date(2025, 9, 26),
        kind=TermDate.Kind.CLOSURE,
        description="INSET day",
    )
    content = certificate_content(
        pupil=pupil, school=school, start=date(2025, 9, 1), end=date(2025, 11, 7)
    )
    weeks = [row for row in content.rows if isinstance(row, WeekRow)]
    assert all(row.monday.weekday() == 0 for row in weeks)
    first = weeks[0]  # term starts Wednesday 3 September
    assert [d.label for d in first.days[:2]] == [HOLIDAY, HOLIDAY]
    assert first.days[2].label == ""  # a school day with no mark received: printed as a dash
    days = days_printed(content.rows)
    assert (days[MON].am.code, days[MON].pm.code) == ("O", "O")
    assert days[date(2025, 9, 9)].pm.code == "\\"
    assert days[date(2025, 9, 26)].label == "INSET day"
    week_of_start = next(row for row in weeks if row.monday == START)
    assert (week_of_start.attended, week_of_start.possible) == (5, 9)
    # The autumn half term (27-31 October) is one shaded row.
    gaps = [row for row in content.rows if isinstance(row, GapRow)]
    assert [(g.first_day, g.last_day, g.label) for g in gaps] == [
        (date(2025, 10, 27), date(2025, 10, 31), "School closed")
    ]


def test_bank_holidays_and_days_off_roll_are_labelled(register):
    school, pupil = register["school"], register["pupil"]
    Enrolment.objects.filter(pupil=pupil).update(start_date=date(2025, 5, 7))
    content = certificate_content(
        pupil=pupil, school=school, start=date(2025, 5, 5), end=date(2025, 5, 30)
    )
    days = days_printed(content.rows)
    assert days[date(2025, 5, 5)].label == NOT_ON_ROLL  # also a bank holiday: not on roll wins
    assert days[date(2025, 5, 6)].label == NOT_ON_ROLL
    assert days[date(2025, 5, 7)].label == ""  # on roll, a school day, no mark received
    assert days[date(2025, 5, 26)].label == BANK_HOLIDAY  # spring bank holiday


def test_corrections_are_marked_and_listed(register, courts):
    school, pupil = register["school"], register["pupil"]
    MarkChange.objects.create(
        school=school, pupil=pupil, date=MON, session=0, previous_code="N", new_code="O"
    )
    content = certificate_content(pupil=pupil, school=school, start=START, end=END)
    assert days_printed(content.rows)[MON].am.corrected
    assert [(c.day, c.session, c.previous_code, c.new_code) for c in content.corrections] == [
        (MON, "AM", "N", "O")
    ]
    text = " ".join(
        pdf_text(
            registration_certificate_pdf(
                pupil=pupil, school=school, start=START, end=END, produced_by=courts
            )
        ).split()
    )
    assert "Corrections" in text


def test_reads_the_register_in_a_fixed_number_of_queries(register):
    school, pupil = register["school"], register["pupil"]
    counts = []
    for start, end in ((START, START), (START, END), (date(2025, 4, 14), date(2025, 12, 19))):
        with CaptureQueriesContext(connection) as queries:
            certificate_content(pupil=pupil, school=school, start=start, end=end)
        counts.append(len(queries))
        marks_queries = [
            q for q in queries if "schools_mark" in q["sql"] and "markchange" not in q["sql"]
        ]
        # The pupil's marks, and the calendar's days with marks outside the term dates
        # (issue 10 item 8; docs/readings.md).
        assert len(marks_queries) == 2
    assert len(set(counts)) == 1, counts


def test_code_key_uses_the_code_set_in_force_on_each_date():
    key = code_key([(date(2024, 7, 1), "H"), (date(2024, 7, 2), "T"), (date(2024, 9, 2), "T")])
    entries = {(e.code, e.code_set): e for e in key}
    assert entries[("H", CODE_SET_PRE_2024)].description == "Agreed family holiday"
    assert entries[("T", CODE_SET_PRE_2024)].description == "Gypsy, Roma and Traveller absence"
    assert entries[("T", CODE_SET_2024)].description == (
        "Parent travelling for occupational purposes"
    )
    assert key[0].code_set == CODE_SET_2024  # the current set first


ENROLMENTS = [(date(2024, 9, 1), None)]
TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("start", "end", "enrolments", "expected"),
    [
        pytest.param(date(2025, 9, 1), date(2026, 7, 22), ENROLMENTS, {}, id="a-school-year"),
        pytest.param(TODAY, TODAY, ENROLMENTS, {}, id="today-only"),
        pytest.param(date(2025, 9, 1), TODAY + timedelta(days=1), ENROLMENTS,
                     {"end": END_IN_FUTURE}, id="end-in-the-future"),
        pytest.param(TODAY + timedelta(days=1), TODAY + timedelta(days=2), ENROLMENTS,
                     {"start": START_IN_FUTURE, "end": END_IN_FUTURE}, id="all-in-the-future"),
        pytest.param(date(2025, 9, 10), date(2025, 9, 9), ENROLMENTS,
                     {"end": END_BEFORE_START}, id="end-before-start"),
        pytest.param(date(2024, 8, 31), date(2025, 9, 9), ENROLMENTS,
                     {"start": START_BEFORE_ENROLMENT.format(date=long_date(date(2024, 9, 1)))},
                     id="before-joining"),
        pytest.param(date(2024, 9, 2), date(2025, 9, 9), [(date(2024, 9, 1), date(2025, 7, 22))],
                     {"end": END_AFTER_ENROLMENT.format(date=long_date(date(2025, 7, 22)))},
                     id="after-leaving"),
        pytest.param(date(2024, 9, 1), date(2026, 9, 1), ENROLMENTS,
                     {"end": PERIOD_TOO_LONG}, id="over-two-years"),
    ],
)  # fmt: skip
def test_period_problems(start, end, enrolments, expected):  # type: ignore[no-untyped-def]
    assert period_problems(start, end, today=TODAY, enrolments=enrolments) == expected


# --- the page ----------------------------------------------------------------------------------
def url(school, pupil):  # type: ignore[no-untyped-def]
    return f"/schools/{school.urn}/pupils/{pupil.upn}/certificate/"


def dates(start: date, end: date) -> dict[str, str]:
    return {
        "start-day": str(start.day), "start-month": str(start.month), "start-year": str(start.year),
        "end-day": str(end.day), "end-month": str(end.month), "end-year": str(end.year),
    }  # fmt: skip


def request_and_render(client, school, pupil, start=START, end=END):  # type: ignore[no-untyped-def]
    """POST the period, follow to the progress page, render as the worker would."""
    response = client.post(url(school, pupil), dates(start, end))
    assert response.status_code == 302
    document = Document.objects.get()
    assert response["Location"] == f"/documents/{document.public_id}/"
    document_render(document_id=document.pk)
    document.refresh_from_db()
    return document


def test_form_offers_the_school_year_to_date_and_a_worker_renders_the_pdf(register, client):
    school, pupil = register["school"], register["pupil"]
    client.force_login(head_of(school))
    page = client.get(url(school, pupil))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Registration certificate" in html and pupil.upn in html
    assert 'name="start-day"' in html and 'name="end-year"' in html
    assert "Create the head teacher&#x27;s certificate (PDF)" in html

    response = client.post(url(school, pupil), dates(START, END))
    assert response.status_code == 302  # to the progress page: the PDF is made by a worker
    document = Document.objects.get()
    assert document.kind == HEAD_CERTIFICATE and document.status == Document.Status.PENDING
    progress = client.get(response["Location"])
    assert progress.status_code == 200
    assert '<meta http-equiv="refresh"' in progress.content.decode()  # polls without JavaScript
    assert not AuditEvent.objects.filter(action=certificate.AUDIT_ACTION).exists()

    document_render(document_id=document.pk)
    ready = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in ready
    download = client.get(f"/documents/{document.public_id}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert (
        f"head-teachers-certificate-{pupil.upn}-20250908-20250919.pdf"
        in download["Content-Disposition"]
    )
    assert "no-store" in download["Cache-Control"]
    text = flat_text(download.content)
    assert pupil.upn in text and "Helen Hart, Headteacher, Oakfield Primary School" in text
    assert AuditEvent.objects.filter(action="document.downloaded").count() == 1


def test_a_second_click_is_the_same_document_rendered_once(register, client):
    school, pupil = register["school"], register["pupil"]
    client.force_login(head_of(school))
    first = client.post(url(school, pupil), dates(START, END))
    second = client.post(url(school, pupil), dates(START, END))
    assert first["Location"] == second["Location"]
    document = Document.objects.get()
    document_render(document_id=document.pk)
    document_render(document_id=document.pk)
    assert AuditEvent.objects.filter(action=certificate.AUDIT_ACTION).count() == 1


def test_a_new_file_for_the_period_makes_a_new_document(register, client):
    school, pupil = register["school"], register["pupil"]
    client.force_login(head_of(school))
    first = client.post(url(school, pupil), dates(START, END))
    MarkChange.objects.create(
        school=school, pupil=pupil, date=MON, session=0, previous_code="N", new_code="O"
    )
    second = client.post(url(school, pupil), dates(START, END))
    assert first["Location"] != second["Location"]


# --- the three documents (EA96 s.566(1)(c)) ------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "kind"),
    [
        pytest.param(Role.HEADTEACHER, HEAD_CERTIFICATE, id="head-teacher"),
        pytest.param(Role.SENIOR_ATTENDANCE_CHAMPION, WORKING_COPY, id="sac"),
        pytest.param(Role.SCHOOL_ATTENDANCE_STAFF, WORKING_COPY, id="office"),
        pytest.param(Role.ATTENDANCE_OFFICER, AUTHORITY_COPY, id="officer"),
        pytest.param(Role.AREA_MANAGER, AUTHORITY_COPY, id="area-manager"),
        pytest.param(Role.COURTS_TEAM, AUTHORITY_COPY, id="courts-team"),
    ],
)
def test_who_produces_which_document(role, kind):  # type: ignore[no-untyped-def]
    assert certificate_kind_for(UserFactory.build(role=role)) == kind


@pytest.fixture
def corrected(register):  # type: ignore[no-untyped-def]
    """Two corrections: one by the school's own marks file, one by a CTF."""
    school, pupil = register["school"], register["pupil"]
    marks_file = ImportBatch.objects.create(
        kind=ImportBatch.Kind.MARKS, school=school, filename="oakfield-marks-week37.csv",
        sha256="a" * 64,
    )  # fmt: skip
    ctf = ImportBatch.objects.create(
        kind=ImportBatch.Kind.CTF, school=school, filename="886_2001_CTF.xml", sha256="b" * 64
    )
    MarkChange.objects.create(
        school=school, pupil=pupil, date=MON, session=0, previous_code="N", new_code="O",
        source_import=marks_file,
    )  # fmt: skip
    MarkChange.objects.create(
        school=school, pupil=pupil, date=TUE, session=0, previous_code="N", new_code="I",
        source_import=ctf,
    )  # fmt: skip
    return register


def test_head_teachers_certificate_is_a_signed_true_extract_with_sources(corrected):
    school, pupil = corrected["school"], corrected["pupil"]
    text = flat_text(
        registration_certificate_pdf(
            pupil=pupil, school=school, start=START, end=END, produced_by=head_of(school)
        )
    )
    assert "Head teacher's certificate of attendance" in text
    assert "section 566(1)(c)" in text
    assert (
        "I certify that this document is a true extract from the attendance register kept by "
        "Oakfield Primary School (URN 118001) under regulation 10" in text
    )
    assert "for the period 8 September 2025 to 19 September 2025" in text
    # Born 14 March 2016: of compulsory school age from 31 March 2021 (the prescribed day after
    # the 5th birthday) to 25 June 2032 (the last Friday in June of the year they turn 16).
    assert "Compulsory school age From 31 March 2021 to 25 June 2032" in text
    # Each correction with its source: previous code, new code, when, and the file's kind.
    assert re.search(
        r"Mon 8 Sep 2025 AM N O \d+ \w+ \d{4} \d\d:\d\d Register marks \(CSV\) "
        r"\(oakfield-marks-",
        text,
    ), text
    assert re.search(
        r"Tue 9 Sep 2025 AM N I .* Common Transfer File \(XML\) "
        r"\(886_2001_CTF\.xml\)",
        text,
    )
    assert "Signed" in text and "Helen Hart, head teacher of Oakfield Primary School" in text
    assert "not a certificate" not in text.lower()


def test_authority_copy_is_labelled_not_a_certificate_and_has_no_signature(corrected, courts):
    school, pupil = corrected["school"], corrected["pupil"]
    text = flat_text(
        registration_certificate_pdf(
            pupil=pupil, school=school, start=START, end=END, produced_by=courts
        )
    )
    assert text.startswith("The authority's copy of the attendance register")
    assert "not a certificate under section 566(1)(c) of the Education Act 1996" in text
    assert "Head teacher's certificate" not in text
    assert "I certify" not in text and "Signed" not in text
    assert "Register marks (CSV)" in text and "Common Transfer File (XML)" in text


@pytest.mark.parametrize("role", [Role.SENIOR_ATTENDANCE_CHAMPION, Role.SCHOOL_ATTENDANCE_STAFF])
def test_other_school_staff_get_a_working_copy_that_cannot_pass_as_a_certificate(register, role):  # type: ignore[no-untyped-def]
    school, pupil = register["school"], register["pupil"]
    pdf = registration_certificate_pdf(
        pupil=pupil, school=school, start=START, end=END, produced_by=staff_of(school, role)
    )
    text = flat_text(pdf)
    assert "Working copy of the attendance register" in text
    assert "Working copy \u2013 not a certificate and not evidence" in text
    assert "I certify" not in text and "Signed" not in text
    assert "Head teacher's certificate" not in text
    # The label is on every page, not only the first.
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert all("WORKING COPY" in page.extract_text() for page in pages)


def test_the_download_is_scoped_as_the_page_that_asked_for_it(register, client):
    school, pupil, other = register["school"], register["pupil"], register["other"]
    client.force_login(head_of(school))
    document = request_and_render(client, school, pupil)
    progress, download = (
        f"/documents/{document.public_id}/",
        (f"/documents/{document.public_id}/download/"),
    )
    # The school's other staff may not take the head's certificate (their page gives them a
    # working copy), nor may officers; a head of another school cannot see the pupil at all.
    stranger = UserFactory(role=Role.HEADTEACHER)
    SchoolMembership.objects.create(user=stranger, school=other)
    for user in (staff_of(school), UserFactory(role=Role.COURTS_TEAM), stranger):
        client.force_login(user)
        assert client.get(progress).status_code == 404
        assert client.get(download).status_code == 404
    assert not AuditEvent.objects.filter(action="document.downloaded").exists()


def test_school_staff_other_than_the_head_are_given_a_working_copy(register, client):
    school, pupil = register["school"], register["pupil"]
    client.force_login(staff_of(school))
    html = client.get(url(school, pupil)).content.decode()
    assert "Create a working copy (PDF)" in html
    document = request_and_render(client, school, pupil)
    assert document.kind == WORKING_COPY
    assert document.filename.startswith("working-copy-of-register-")
    response = client.get(f"/documents/{document.public_id}/download/")
    assert "Working copy" in flat_text(response.content)


@pytest.mark.parametrize(
    ("data", "message", "link"),
    [
        pytest.param({}, ENTER_DATE.format(name="start date"), "#start-day", id="empty"),
        pytest.param({**dates(START, END), "start-month": ""},
                     MUST_INCLUDE.format(label="Start date", parts="month"), "#start-month",
                     id="no-month"),
        pytest.param({**dates(START, END), "end-day": "", "end-year": ""},
                     MUST_INCLUDE.format(label="End date", parts="day and year"), "#end-day",
                     id="no-day-or-year"),
        pytest.param({**dates(START, END), "start-day": "31", "start-month": "2"},
                     NOT_REAL.format(label="Start date"), "#start-day", id="31-february"),
        pytest.param({**dates(START, END), "end-month": "Sep"},
                     NOT_REAL.format(label="End date"), "#end-month", id="month-in-words"),
        pytest.param({**dates(START, END), "end-year": "25"}, YEAR_DIGITS, "#end-year",
                     id="two-digit-year"),
        pytest.param(dates(END, START), END_BEFORE_START, "#end-day", id="end-before-start"),
        pytest.param(dates(START, date.today() + timedelta(days=3)), END_IN_FUTURE, "#end-day",
                     id="future"),
        pytest.param(dates(date(2024, 8, 1), END),
                     START_BEFORE_ENROLMENT.format(date="1 September 2024"), "#start-day",
                     id="before-enrolment"),
        pytest.param(dates(date(2024, 9, 1), date(2026, 9, 30)), PERIOD_TOO_LONG, "#end-day",
                     id="too-long"),
    ],
)  # fmt: skip
def test_bad_periods_get_govuk_errors(register, client, data, message, link):
    school, pupil = register["school"], register["pupil"]
    client.force_login(head_of(school))
    response = client.post(url(school, pupil), data)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<title>Error: Registration certificate" in html
    assert "govuk-error-summary" in html and "There is a problem" in html
    assert f'<a href="{link}">{message}</a>' in html
    assert "govuk-form-group--error" in html and "govuk-input--error" in html
    assert not AuditEvent.objects.filter(action=certificate.AUDIT_ACTION).exists()


def test_school_staff_cannot_see_another_schools_pupil(register, client):
    school, pupil, other = register["school"], register["pupil"], register["other"]
    stranger = UserFactory(role=Role.HEADTEACHER)
    SchoolMembership.objects.create(user=stranger, school=other)
    client.force_login(stranger)
    assert client.get(url(school, pupil)).status_code == 404
    assert client.post(url(school, pupil), dates(START, END)).status_code == 404
    # Nor through their own school's address: the pupil was never on its roll.
    assert client.get(url(other, pupil)).status_code == 404
    assert client.get(f"/schools/{other.urn}/pupils/NOSUCHUPN/certificate/").status_code == 404
    assert not AuditEvent.objects.filter(action=certificate.AUDIT_ACTION).exists()


def test_signed_out_people_are_sent_to_sign_in(register, client):
    response = client.get(url(register["school"], register["pupil"]))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
