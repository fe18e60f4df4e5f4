"""The school attendance dashboard, pupil lists and N codes (handbook §13, §25; DOMAIN §2, §4).

Figures are checked against a school built by hand (tests/factories/attendance.py), the
pages against the scoping rules (out of scope is 404), and every page's query count is
pinned so no list runs a query per pupil.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from kpas.base.roles import Role
from schools.dashboard.figures import at_risk_of_persistent_absence, school_attendance
from schools.dashboard.pupil_lists import PupilFilters, PupilGroup, pupil_figures
from schools.dashboard.school_dashboard import dashboard_for
from schools.models import Enrolment, School, SchoolMembership
from schools.national_figures import INDEPENDENT_REASON, national_figures
from schools.register_arrays import CategoryCounts
from tests.factories import SchoolFactory, UserFactory
from tests.factories.attendance import (
    AS_OF,
    RECENT_FIRST_DAY,
    RECENT_SESSIONS,
    SESSIONS,
    constructed_school,
    many_pupils,
)
from tests.factories.register import school_with_terms

pytestmark = pytest.mark.django_db
QUERY = f"?as_of={AS_OF.isoformat()}"


@pytest.fixture
def built():  # type: ignore[no-untyped-def]
    return constructed_school()


@pytest.fixture
def dashboard(built):  # type: ignore[no-untyped-def]
    return dashboard_for(built.school, as_of=AS_OF)


def staff_of(school: School, role: Role = Role.SENIOR_ATTENDANCE_CHAMPION):  # type: ignore[no-untyped-def]
    user = UserFactory(role=role)
    SchoolMembership.objects.create(user=user, school=school)
    return user


def names(rows) -> set[str]:  # type: ignore[no-untyped-def]
    return {row.pupil.forename for row in rows}


# --- figures ---------------------------------------------------------------------------------
def test_year_to_date_figures(dashboard):  # type: ignore[no-untyped-def]
    ytd = dashboard.year_to_date
    absent = 2 + 11 + 12 + 60 + 4 + 3
    assert (ytd.pupils, ytd.possible) == (6, 6 * SESSIONS)
    assert ytd.attendance == 6 * SESSIONS - absent
    assert (ytd.authorised, ytd.unauthorised) == (11 + 60 + 4 + 3, 2 + 12)
    assert ytd.attendance_rate == pytest.approx(100 * (6 * SESSIONS - absent) / (6 * SESSIONS))
    assert ytd.unauthorised_rate == pytest.approx(100 * 14 / (6 * SESSIONS))
    assert (ytd.persistent_absentees, ytd.severe_absentees) == (2, 1)
    assert ytd.persistent_absence_rate == pytest.approx(100 * 2 / 6)
    assert ytd.severe_absence_rate == pytest.approx(100 / 6)
    assert dashboard.data.data_date == AS_OF


def test_last_four_school_weeks(dashboard):  # type: ignore[no-untyped-def]
    # The last 4 school weeks to Fri 28 Nov 2025 start on Mon 3 Nov (after half term).
    period = dashboard.attendance.recent
    assert (period.first_day, period.last_day) == (RECENT_FIRST_DAY, AS_OF)
    recent = dashboard.last_four_weeks
    assert recent.possible == 6 * RECENT_SESSIONS
    assert recent.absence == 1 + 4 + 3  # an N on 27 Nov, 4 M, 3 M
    assert recent.persistent_absentees == 1  # 4 of 40 sessions is 10%


def test_groups_on_roll(built, dashboard):  # type: ignore[no-untyped-def]
    assert (dashboard.on_roll, dashboard.severe, dashboard.persistent, dashboard.at_risk) == (
        6,
        1,
        2,
        2,
    )
    attendance = dashboard.attendance
    group = lambda g: names(pupil_figures(attendance, PupilFilters(group=g)))  # noqa: E731
    assert group(PupilGroup.SEVERE) == {"Severe"}
    assert group(PupilGroup.PERSISTENT) == {"Severe", "Persistent"}
    assert group(PupilGroup.AT_RISK) == {"Near Line", "Slipping"}
    assert len(group(PupilGroup.ALL)) == 6


@pytest.mark.parametrize(
    ("year", "recent", "expected"),
    [
        pytest.param((11, 116), (0, 40), True, id="9.5pc-this-year-is-near-the-line"),
        pytest.param((10, 116), (0, 40), True, id="8.6pc-is-within-2-points"),
        pytest.param((9, 116), (0, 40), False, id="7.8pc-is-not"),
        pytest.param((12, 116), (0, 40), False, id="persistently-absent-is-not-at-risk"),
        pytest.param((4, 116), (4, 40), True, id="10pc-of-the-last-4-weeks"),
        pytest.param((3, 116), (3, 40), False, id="7.5pc-of-the-last-4-weeks-is-not"),
        pytest.param((0, 0), (0, 0), False, id="no-possible-sessions"),
    ],
)
def test_at_risk_definition(year, recent, expected):  # type: ignore[no-untyped-def]
    def counts(absent: int, possible: int) -> CategoryCounts:
        zero = np.zeros(1, dtype=np.int32)
        return CategoryCounts(
            possible=np.array([possible], dtype=np.int32),
            present=np.array([possible - absent], dtype=np.int32),
            approved_activity=zero,
            authorised=np.array([absent], dtype=np.int32),
            unauthorised=zero,
            not_possible=zero,
            administrative=zero,
        )

    assert bool(at_risk_of_persistent_absence(counts(*year), counts(*recent))[0]) is expected


def test_cohorts_against_the_whole_school(dashboard):  # type: ignore[no-untyped-def]
    fsm = next(c for c in dashboard.characteristic_cohorts if c.key == "fsm")
    assert fsm.rates.pupils == 2  # near_line, persistent
    assert fsm.rates.attendance_rate == pytest.approx(100 * (2 * SESSIONS - 23) / (2 * SESSIONS))
    whole = dashboard.year_to_date.attendance_rate
    assert fsm.attendance_difference == pytest.approx(fsm.rates.attendance_rate - whole)
    grt = next(c for c in dashboard.characteristic_cohorts if c.key == "grt")
    assert grt.rates.pupils == 0 and grt.attendance_difference is None
    years = {c.key: c.rates for c in dashboard.year_group_cohorts}
    assert list(years) == ["1", "2", "3"]
    assert years["2"].severe_absentees == 1 and years["2"].persistent_absentees == 2
    assert years["3"].unauthorised == 0


def test_weekly_trend(dashboard):  # type: ignore[no-untyped-def]
    weeks = dashboard.weeks
    # 12 school weeks; the half-term week (27-31 Oct) is not one.
    assert len(weeks) == 12
    assert date(2025, 10, 27) not in {w.monday for w in weeks}
    assert sum(w.possible for w in weeks) == 6 * SESSIONS
    first = weeks[0]
    assert (first.monday, first.first_day, first.last_day) == (
        date(2025, 9, 1),
        date(2025, 9, 3),
        date(2025, 9, 5),
    )
    week_of_10_nov = next(w for w in weeks if w.monday == date(2025, 11, 10))
    assert (week_of_10_nov.possible, week_of_10_nov.authorised) == (60, 4)


def test_penalty_threshold_comes_from_the_alerts(dashboard):  # type: ignore[no-untyped-def]
    # 12 O sessions from Mon 8 Sep: the 10th is Fri 12 Sep PM (DOMAIN §5).
    assert [(r.pupil.forename, r.threshold_met_on) for r in dashboard.threshold] == [
        ("Persistent", date(2025, 9, 12))
    ]
    assert dashboard.threshold[0].compulsory_when_threshold_met is True


def test_n_codes_awaiting_a_reason_oldest_first(dashboard):  # type: ignore[no-untyped-def]
    rows = [(n.day, n.session, n.due, n.overdue) for n in dashboard.n_codes]
    # An N must be replaced within 5 school days (KSAH §13): 15 Sep is due by 22 Sep.
    assert rows == [
        (date(2025, 9, 15), "AM", date(2025, 9, 22), True),
        (date(2025, 11, 27), "AM", date(2025, 12, 4), False),
    ]
    assert dashboard.n_codes_overdue == 1 and dashboard.n_code_pupils == 1


def test_national_average_for_the_phase(dashboard):  # type: ignore[no-untyped-def]
    assert dashboard.benchmark.national == national_figures("primary")


def test_a_school_with_no_marks_this_year_shows_its_last_year(built):  # type: ignore[no-untyped-def]
    # In August, before the new year's first register, last year's figures are shown.
    attendance = school_attendance(built.school, as_of=date(2026, 8, 20))
    assert attendance.data.year == 2025 and attendance.data.data_date == AS_OF


def test_a_school_without_marks():  # type: ignore[no-untyped-def]
    school = school_with_terms()
    empty = dashboard_for(school, as_of=AS_OF)
    assert empty.year_to_date is None and empty.weeks == [] and empty.n_codes == []


# --- pupil lists: filters, sorting, pagination ------------------------------------------------
def test_filters_combine(built):  # type: ignore[no-untyped-def]
    attendance = school_attendance(built.school, as_of=AS_OF)

    def pick(**filters) -> set[str]:  # type: ignore[no-untyped-def]
        return names(pupil_figures(attendance, PupilFilters(**filters)))

    assert pick(characteristics=("fsm",)) == {"Near Line", "Persistent"}
    assert pick(group=PupilGroup.PERSISTENT, characteristics=("fsm",)) == {"Persistent"}
    assert pick(year_group="3") == {"Slipping", "Steady"}
    assert pick(search="slip") == {"Slipping"}
    assert pick(search=built.pupils["steady"].upn.lower()) == {"Steady"}
    assert pick(without_characteristics=("fsm", "ehcp", "eal")) == {"Present", "Steady"}
    assert pick(persistent=False, at_risk=False) == {"Present", "Steady"}


def test_sorting(built):  # type: ignore[no-untyped-def]
    attendance = school_attendance(built.school, as_of=AS_OF)

    def order(sort: str, descending: bool = False) -> list[str]:
        rows = pupil_figures(attendance, PupilFilters(sort=sort, descending=descending))
        return [row.pupil.forename for row in rows]

    assert order("attendance")[:2] == ["Severe", "Persistent"]
    assert order("attendance", descending=True)[0] == "Present"
    assert order("name") == sorted(order("name"), key=lambda n: f"pupil {n.lower()}")
    assert order("unauthorised", descending=True)[0] == "Persistent"
    assert order("recent")[0] == "Slipping"


def test_list_page_filters_sorts_and_paginates(client):  # type: ignore[no-untyped-def]
    school = school_with_terms()
    many_pupils(school, 30, absent_every=10)  # pupils 0, 10, 20 are persistently absent
    client.force_login(staff_of(school))
    url = reverse("schools:school-pupils", kwargs={"urn": school.urn})

    page1 = client.get(url + QUERY).content.decode()
    assert "30 pupils, showing 1 to 25." in page1
    assert 'aria-label="Page 2"' in page1 and 'rel="next"' in page1
    page2 = client.get(url + QUERY + "&page=2").content.decode()
    assert "showing 26 to 30" in page2 and 'rel="prev"' in page2
    assert client.get(url + QUERY + "&page=99").status_code == 200  # the last page

    persistent = client.get(url + QUERY + "&group=persistent").content.decode()
    assert "3 pupils." in persistent
    assert '<h1 class="govuk-heading-l">Persistently absent</h1>' in persistent
    # Sorted by attendance, lowest first, unless asked otherwise.
    assert 'aria-sort="ascending"' in persistent
    descending = client.get(url + QUERY + "&sort=name&order=desc").content.decode()
    assert 'aria-sort="descending"' in descending
    # Nonsense filters are ignored, not an error.
    assert client.get(url + QUERY + "&group=nonsense&sort=evil&year=99").status_code == 200


def test_n_codes_page(built, client):  # type: ignore[no-untyped-def]
    client.force_login(staff_of(built.school))
    url = reverse("schools:school-n-codes", kwargs={"urn": built.school.urn})
    page = client.get(url + QUERY).content.decode()
    assert "2 sessions." in page
    assert page.index("Mon 15 Sep 2025") < page.index("Thu 27 Nov 2025")  # oldest first
    overdue = client.get(url + QUERY + "&overdue=1").content.decode()
    assert "1 session." in overdue and "Thu 27 Nov 2025" not in overdue


# --- the dashboard page and who may see it -----------------------------------------------------
def test_dashboard_page_shows_the_figures(built, client):  # type: ignore[no-untyped-def]
    client.force_login(staff_of(built.school))
    response = client.get(
        reverse("schools:school-dashboard", kwargs={"urn": built.school.urn}) + QUERY
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "figures to Friday 28 November 2025" in page
    rate = 100 * (6 * SESSIONS - 92) / (6 * SESSIONS)
    assert f"{rate:.1f}%" in page
    assert f"{national_figures('primary').attendance:.1f}%" in page
    assert "Show the figures as a table" in page and "<svg" in page
    assert re.search(r"12 September 2025", page)  # the threshold list
    assert "KPAS officers do not take lists" not in page  # said to officers only


@pytest.mark.parametrize(
    ("role", "linked", "status"),
    [
        pytest.param(Role.HEADTEACHER, True, 200, id="staff-of-the-school"),
        pytest.param(Role.HEADTEACHER, False, 404, id="staff-of-another-school"),
        pytest.param(Role.ATTENDANCE_OFFICER, True, 200, id="linked-attendance-officer"),
        pytest.param(Role.ATTENDANCE_OFFICER, False, 404, id="officer-not-linked"),
        pytest.param(Role.COURTS_TEAM, None, 200, id="county-wide-team"),
    ],
)
def test_scoping(role, linked, status, client):  # type: ignore[no-untyped-def]
    school = school_with_terms()
    other = SchoolFactory()
    user = UserFactory(role=role)
    if role == Role.HEADTEACHER:
        SchoolMembership.objects.create(user=user, school=school if linked else other)
    elif role == Role.ATTENDANCE_OFFICER:
        (school if linked else other).attendance_officer = user
        (school if linked else other).save()
    client.force_login(user)
    for name in ("schools:school-dashboard", "schools:school-pupils", "schools:school-n-codes"):
        response = client.get(reverse(name, kwargs={"urn": school.urn}))
        assert response.status_code == status, name


def test_area_manager_sees_dashboards_in_their_area_only(client):  # type: ignore[no-untyped-def]
    here = school_with_terms()
    elsewhere = SchoolFactory()
    manager = UserFactory(role=Role.AREA_MANAGER, area=here.district.area)
    client.force_login(manager)
    assert (
        client.get(reverse("schools:school-dashboard", kwargs={"urn": here.urn})).status_code == 200
    )
    assert (
        client.get(reverse("schools:school-dashboard", kwargs={"urn": elsewhere.urn})).status_code
        == 404
    )


def test_officers_are_reminded_not_to_take_names_away(built, client):  # type: ignore[no-untyped-def]
    # KSAH §25: KPAS officers do not request or remove lists of pupils' names.
    built.school.attendance_officer = officer = UserFactory(role=Role.ATTENDANCE_OFFICER)
    built.school.save()
    client.force_login(officer)
    page = client.get(reverse("schools:school-dashboard", kwargs={"urn": built.school.urn}) + QUERY)
    assert "KPAS officers do not take lists" in page.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client):  # type: ignore[no-untyped-def]
    school = SchoolFactory()
    response = client.get(reverse("schools:school-dashboard", kwargs={"urn": school.urn}))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_pru_says_there_is_no_national_figure(client):  # type: ignore[no-untyped-def]
    school = school_with_terms(phase=School.Phase.PRU, school_type=School.Type.PRU)
    many_pupils(school, 3)
    client.force_login(staff_of(school))
    page = client.get(reverse("schools:school-dashboard", kwargs={"urn": school.urn}) + QUERY)
    assert "The DfE publishes no national attendance figure for pupil referral units." in (
        page.content.decode()
    )


def test_an_independent_school_is_not_told_to_consider_penalty_notices(client):  # type: ignore[no-untyped-def]
    # KSAH §15 iv: only a state-funded school may request a penalty notice (DOMAIN §5);
    # the DfE's national and LA averages are of state-funded schools (DOMAIN §1).
    built = constructed_school(school_type=School.Type.INDEPENDENT, state_funded=False)
    urn = built.school.urn
    client.force_login(staff_of(built.school))
    page = client.get(
        reverse("schools:school-dashboard", kwargs={"urn": urn}) + QUERY
    ).content.decode()
    # No threshold alerts are raised for it at all (schools/evaluation.py), and no advice.
    assert "consider a penalty notice" not in page
    assert "Independent schools cannot request penalty notices" in page
    assert "National average" not in page
    assert escape(INDEPENDENT_REASON) in page
    listed = client.get(
        reverse("schools:school-pupils", kwargs={"urn": urn}) + QUERY + "&group=threshold"
    ).content.decode()
    assert "consider a penalty notice" not in listed
    statistics = client.get(f"/api/v1/schools/{urn}/statistics/{QUERY}").json()
    assert statistics["benchmark"]["national"] is None
    assert statistics["benchmark"]["authority"] is None
    assert statistics["benchmark"]["no_figure_reason"] == INDEPENDENT_REASON
    assert dashboard_for(built.school, as_of=AS_OF).benchmark.national is None


def test_a_state_funded_school_is_told_to_consider_penalty_notices(built, client):  # type: ignore[no-untyped-def]
    client.force_login(staff_of(built.school))
    urn = built.school.urn
    page = client.get(
        reverse("schools:school-dashboard", kwargs={"urn": urn}) + QUERY
    ).content.decode()
    assert "the school must consider a penalty notice" in page
    listed = client.get(
        reverse("schools:school-pupils", kwargs={"urn": urn}) + QUERY + "&group=threshold"
    ).content.decode()
    assert "the school must consider a penalty notice" in listed


def test_schools_list_links_to_each_dashboard(client):  # type: ignore[no-untyped-def]
    school = SchoolFactory()
    client.force_login(UserFactory(role=Role.COURTS_TEAM))
    page = client.get(reverse("schools:list")).content.decode()
    assert reverse("schools:school-dashboard", kwargs={"urn": school.urn}) in page


# --- no query per pupil -------------------------------------------------------------------------
def queries_for(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "name", ["schools:school-dashboard", "schools:school-pupils", "schools:school-n-codes"]
)
def test_query_count_does_not_grow_with_pupils(name, client):  # type: ignore[no-untyped-def]
    small, large = school_with_terms(), SchoolFactory()
    many_pupils(small, 20)
    many_pupils(large, 200)
    # The dashboard names the linked officer: read with the school, not by a query of its own.
    large.attendance_officer = UserFactory(role=Role.ATTENDANCE_OFFICER)
    large.save(update_fields=["attendance_officer"])
    user = UserFactory(role=Role.COURTS_TEAM)
    client.force_login(user)
    counts = [
        queries_for(client, reverse(name, kwargs={"urn": s.urn}) + QUERY + "&group=persistent")
        for s in (small, large)
    ]
    # The pupil list also writes its one audit event, naming the pupils shown (issue 15), and
    # an authority user's session is checked against its second-factor device (django-otp's
    # middleware reads the device once a request; ADR 0014). The N codes page reads no alerts.
    budget = {"schools:school-dashboard": 11, "schools:school-pupils": 12}.get(name, 10)
    assert counts[0] == counts[1] <= budget, counts
    # Year groups do not add queries either.
    Enrolment.objects.filter(school=large).update(year_group="5")
    assert queries_for(client, reverse(name, kwargs={"urn": large.urn}) + QUERY) == counts[1]


# --- precomputed reads (issue 14; issue 16 item 5) ------------------------------------------------
def marks_read_by(client, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The statements of one request that read the register's marks table."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if '"schools_mark"' in q["sql"]]


def test_dashboard_and_pupil_record_never_read_the_marks(built, client):  # type: ignore[no-untyped-def]
    # The pages read the projections and what the evaluation stored: the days marked outside
    # the term dates included (SchoolMarkedDays), never the marks at request time.
    client.force_login(staff_of(built.school))
    pupil = built.pupils["slipping"]
    urls = [
        reverse("schools:school-dashboard", kwargs={"urn": built.school.urn}) + QUERY,
        reverse("schools:pupil-detail", kwargs={"urn": built.school.urn, "upn": pupil.upn}) + QUERY,
    ]
    assert [marks_read_by(client, url) for url in urls] == [[], []]


def test_a_school_never_evaluated_works_its_calendar_out_from_the_marks(built, client):  # type: ignore[no-untyped-def]
    # With nothing stored yet (a school the evaluation has not seen), the page still knows
    # the days marked outside its terms, from the marks.
    from schools.models import SchoolMarkedDays

    SchoolMarkedDays.objects.filter(school=built.school).delete()
    client.force_login(staff_of(built.school))
    url = reverse("schools:school-dashboard", kwargs={"urn": built.school.urn}) + QUERY
    assert marks_read_by(client, url)
