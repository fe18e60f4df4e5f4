"""A pupil's record: details, parents, statistics by census term, the register as a
calendar, alerts and their history; scoped and audited (KSAH §13, §17, §25; DOMAIN §2, §13).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from kpas.base.models import AuditEvent
from kpas.base.roles import Role
from schools.calendar import CensusTerm
from schools.dashboard.pupil_record import census_terms, pupil_record_for
from schools.models import Alert, Enrolment, Parent, PupilParent, SchoolMembership
from schools.selectors import PupilView
from tests.factories import SchoolFactory, UserFactory
from tests.factories.attendance import AS_OF, SESSIONS, bulk_register, constructed_school, derive
from tests.factories.attendance import sessions as coded
from tests.factories.register import pupil_at, school_with_terms

pytestmark = pytest.mark.django_db
QUERY = f"?as_of={AS_OF.isoformat()}"


@pytest.fixture
def built():  # type: ignore[no-untyped-def]
    return constructed_school()


def whole_view(pupil) -> PupilView:  # type: ignore[no-untyped-def]
    """The pupil as a countywide reader sees them: every enrolment, contacts shown."""
    return PupilView(pupil, list(pupil.enrolments.select_related("school")), True)


def record_url(school, pupil) -> str:  # type: ignore[no-untyped-def]
    return reverse("schools:pupil-detail", kwargs={"urn": school.urn, "upn": pupil.upn})


def signed_in_staff(client, school):  # type: ignore[no-untyped-def]
    user = UserFactory(role=Role.SENIOR_ATTENDANCE_CHAMPION)
    SchoolMembership.objects.create(user=user, school=school)
    client.force_login(user)
    return user


def test_census_terms_follow_easter():  # type: ignore[no-untyped-def]
    # DOMAIN §13: autumn 1 Aug-31 Dec, spring 1 Jan-Easter Sunday, summer from Easter Monday.
    assert census_terms(2024) == [
        (CensusTerm.AUTUMN, date(2024, 8, 1), date(2024, 12, 31)),
        (CensusTerm.SPRING, date(2025, 1, 1), date(2025, 4, 20)),  # Easter Sunday 2025
        (CensusTerm.SUMMER, date(2025, 4, 21), date(2025, 7, 31)),
    ]


def test_statistics_for_the_year_and_each_census_term():  # type: ignore[no-untyped-def]
    school = school_with_terms()
    pupil = pupil_at(school)
    # Summer term 2025 in the factory calendar: 14 Apr - 22 Jul; Easter Sunday is 20 Apr.
    absences = {
        **coded([date(2025, 4, 15)], "I"),  # spring: 2 authorised
        **coded([date(2025, 5, 6)], "G", pm=False),  # summer: 1 unauthorised
        **coded([date(2025, 6, 2)], "X"),  # not a possible session
    }
    bulk_register(school, [pupil], date(2025, 4, 14), date(2025, 7, 22), {pupil.pk: absences})
    derive(school, as_of=date(2025, 7, 22))
    record = pupil_record_for(whole_view(pupil), school, as_of=date(2025, 7, 31))
    assert record.year == 2024 and record.data_date == date(2025, 7, 22)
    spring, summer = record.terms
    assert spring.label == "Spring term" and summer.label == "Summer term"
    # 14-17 Apr (18 Apr is Good Friday) = 4 days; 21 Apr is Easter Monday.
    assert (spring.first_day, spring.possible, spring.authorised) == (date(2025, 4, 14), 8, 2)
    assert summer.first_day == date(2025, 4, 22)
    assert (summer.unauthorised, summer.not_possible) == (1, 2)
    total = record.year_statistics
    assert total.possible == spring.possible + summer.possible
    assert total.attendance == total.possible - 3
    assert total.attendance_rate == pytest.approx(100 * (total.possible - 3) / total.possible)


def test_register_calendar_and_its_text_alternative(built):  # type: ignore[no-untyped-def]
    pupil = built.pupils["slipping"]
    record = pupil_record_for(whole_view(pupil), built.school, as_of=AS_OF)
    assert [m.first for m in record.months] == [
        date(2025, 9, 1),
        date(2025, 10, 1),
        date(2025, 11, 1),
    ]
    november = record.months[-1]
    assert november.days[29] is None  # 30 Nov is after the last day with marks
    tenth = november.days[9]
    assert [m.code for m in tenth.marks] == ["M", "M"]
    assert tenth.marks[0].category == "authorised"
    assert tenth.description == (
        "Monday 10 November: morning M Leave of absence for a medical or dental appointment, "
        "afternoon M Leave of absence for a medical or dental appointment"
    )
    saturday = november.days[0]  # Sat 1 Nov
    assert not saturday.school_day and not saturday.has_marks
    assert [d.day for d in record.days_not_present] == [date(2025, 11, 10), date(2025, 11, 11)]
    assert {(c.code, c.sessions) for c in record.codes_used} >= {("M", 4)}


def test_record_page(built, client):  # type: ignore[no-untyped-def]
    pupil = built.pupils["persistent"]
    link = PupilParent.objects.create(
        pupil=pupil,
        parent=Parent.objects.create(forename="Pat", surname="Parent", phone="01622 000000"),
        relationship="Mother",
        lives_with_pupil=False,
        parental_responsibility=True,
    )
    signed_in_staff(client, built.school)
    page = client.get(record_url(built.school, pupil) + QUERY).content.decode()
    assert '<h1 class="govuk-heading-l govuk-!-margin-bottom-2">Persistent Pupil persistent' in page
    assert pupil.upn in page and "Free school meals" in page
    assert "Mother" in page and "01622 000000" in page and link.parent.forename in page
    assert f"{100 * (SESSIONS - 12) / SESSIONS:.1f}%" in page
    assert "Autumn term" in page
    # The calendar: codes shown as letters with a description for screen readers.
    assert 'class="kpas-code kpas-code--unauthorised" aria-hidden="true">O</span>' in page
    assert "Monday 8 September: morning O Absent in other or unknown circumstances" in page
    assert "Show the days not marked present as a list" in page
    # Alerts: the threshold and persistent absence, open.
    assert "Met the penalty notice threshold" in page and "Persistently absent" in page
    assert "Digital Front Door submissions and cases</h2>" in page


def test_certificate_link_only_when_the_page_exists(built, client):  # type: ignore[no-untyped-def]
    pupil = built.pupils["present"]
    signed_in_staff(client, built.school)
    page = client.get(record_url(built.school, pupil) + QUERY).content.decode()
    try:
        url = reverse(
            "schools:pupil-certificate", kwargs={"urn": built.school.urn, "upn": pupil.upn}
        )
    except NoReverseMatch:
        assert "registration certificate" not in page
    else:
        assert f'href="{url}"' in page


def test_alert_history_shows_raised_and_cleared(built, client):  # type: ignore[no-untyped-def]
    pupil = built.pupils["severe"]
    Alert.objects.create(
        school=built.school,
        pupil=pupil,
        kind=Alert.Kind.OVERDUE_N_CODE,
        academic_year=2025,
        key="2025-09-10:AM",
        details={"date": "2025-09-10"},
        raised_on=date(2025, 9, 18),
        cleared_on=date(2025, 9, 20),
    )
    record = pupil_record_for(whole_view(pupil), built.school, as_of=AS_OF)
    kinds = {(row.alert.kind, row.open) for row in record.alerts}
    assert (Alert.Kind.SEVERE_ABSENCE, True) in kinds
    assert (Alert.Kind.OVERDUE_N_CODE, False) in kinds
    cleared = next(row for row in record.alerts if not row.open)
    assert cleared.summary == (
        "N recorded for the morning of 10 September 2025 and not replaced within 5 school days"
    )
    signed_in_staff(client, built.school)
    page = client.get(record_url(built.school, pupil) + QUERY).content.decode()
    assert "Cleared" in page and "20 Sep 2025" in page


def test_reading_a_record_is_audited(built, client):  # type: ignore[no-untyped-def]
    pupil = built.pupils["steady"]
    user = signed_in_staff(client, built.school)
    client.get(record_url(built.school, pupil) + QUERY)
    event = AuditEvent.objects.get(action="pupil.record_viewed", actor=user)
    assert event.object_id == str(pupil.pk)
    assert event.detail == {"urn": built.school.urn, "academic_year": 2025, "via": "web"}


def test_scoping(built, client):  # type: ignore[no-untyped-def]
    pupil = built.pupils["present"]
    other = SchoolFactory()
    # Staff of another school: not found, and nothing is audited.
    staff = UserFactory(role=Role.HEADTEACHER)
    SchoolMembership.objects.create(user=staff, school=other)
    client.force_login(staff)
    assert client.get(record_url(built.school, pupil)).status_code == 404
    assert client.get(record_url(other, pupil)).status_code == 404
    # (Signing in is audited; reading nothing is not.)
    assert not AuditEvent.objects.filter(actor=staff).exclude(action="auth.signed_in").exists()
    # The linked officer sees it; under a school the pupil never attended it is not found.
    officer = UserFactory(role=Role.ATTENDANCE_OFFICER)
    for school in (built.school, other):
        school.attendance_officer = officer
        school.save()
    client.force_login(officer)
    assert client.get(record_url(built.school, pupil)).status_code == 200
    assert client.get(record_url(other, pupil)).status_code == 404
    assert (
        client.get(record_url(built.school, pupil).replace(pupil.upn, "A123456789012")).status_code
        == 404
    )


def test_a_pupil_who_left_keeps_their_record(built, client):  # type: ignore[no-untyped-def]
    pupil = built.pupils["steady"]
    Enrolment.objects.filter(pupil=pupil).update(end_date=date(2025, 11, 14))
    signed_in_staff(client, built.school)
    page = client.get(record_url(built.school, pupil) + QUERY).content.decode()
    assert "Left 14 November 2025" in page


def test_query_count_does_not_grow_with_parents_alerts_or_marks(built, client):  # type: ignore[no-untyped-def]
    signed_in_staff(client, built.school)

    def count(pupil) -> int:  # type: ignore[no-untyped-def]
        with CaptureQueriesContext(connection) as queries:
            assert client.get(record_url(built.school, pupil) + QUERY).status_code == 200
        return len(queries)

    quiet, busy = built.pupils["steady"], built.pupils["severe"]
    for n in range(4):
        PupilParent.objects.create(
            pupil=busy,
            parent=Parent.objects.create(forename=f"Parent {n}", surname="Busy"),
            contact_priority=n + 1,
        )
    Enrolment.objects.create(
        pupil=busy, school=SchoolFactory(), start_date=date(2023, 9, 1), end_date=date(2024, 7, 20)
    )
    assert Alert.objects.filter(pupil=busy).count() >= 3
    assert not Alert.objects.filter(pupil=quiet).exists()
    assert count(quiet) == count(busy) <= 13  # 13: the notices-to-improve panel (penalties)


def test_a_higher_floors_panel_shows_on_the_record(built, client, settings):  # type: ignore[no-untyped-def]
    # ADR 0008: penalties, returns and cases show panels here without schools importing them.
    from pathlib import Path

    from schools import panels

    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {**engine, "DIRS": [*engine["DIRS"], Path(__file__).parent / "templates"]}
    ]
    seen = []

    def context(*, user, pupil, school):  # type: ignore[no-untyped-def]
        seen.append((user.pk, school.pk))
        return {"upn": pupil.upn}

    panels.panel_register(
        page=panels.PUPIL_RECORD,
        panel=panels.Panel("test-panel", "test_panels/panel.html", context),
    )
    try:
        pupil = built.pupils["present"]
        user = signed_in_staff(client, built.school)
        page = client.get(record_url(built.school, pupil) + QUERY).content.decode()
    finally:
        panels.panel_unregister(page=panels.PUPIL_RECORD, name="test-panel")
    assert f"Panel for {pupil.upn}" in page
    assert seen == [(user.pk, built.school.pk)]
