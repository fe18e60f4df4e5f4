"""Registration certificates (DOMAIN §2; KSAH §17, §25): the PDF a court receives."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from kpas.base.models import AuditEvent
from kpas.base.roles import Role
from schools import certificate
from schools.certificate import (
    BANK_HOLIDAY,
    CODE_SET_2024,
    CODE_SET_PRE_2024,
    END_AFTER_ENROLMENT,
    END_BEFORE_START,
    END_IN_FUTURE,
    HOLIDAY,
    NOT_ON_ROLL,
    PERIOD_TOO_LONG,
    START_BEFORE_ENROLMENT,
    START_IN_FUTURE,
    GapRow,
    WeekRow,
    certificate_content,
    code_key,
    days_printed,
    long_date,
    period_problems,
    registration_certificate_pdf,
)
from schools.models import Enrolment, MarkChange, SchoolMembership, TermDate
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
    # Who produced it, the statement and page numbers.
    assert "true copy of the attendance register" in flat
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
    assert f"RC-{event.pk:06d}" in pdf_text(pdf)


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


def test_form_offers_the_school_year_to_date_and_returns_the_pdf(register, client):
    school, pupil = register["school"], register["pupil"]
    client.force_login(head_of(school))
    page = client.get(url(school, pupil))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Registration certificate" in html and pupil.upn in html
    assert 'name="start-day"' in html and 'name="end-year"' in html

    response = client.post(url(school, pupil), dates(START, END))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        f"registration-certificate-{pupil.upn}-20250908-20250919.pdf"
        in (response["Content-Disposition"])
    )
    assert "no-store" in response["Cache-Control"]
    text = " ".join(pdf_text(response.content).split())
    assert pupil.upn in text and "Helen Hart, Headteacher, Oakfield Primary School" in text


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
