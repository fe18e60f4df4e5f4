"""The precomputed figures, checked against the raw marks, and an officer's home page that
reads them (issue 14 items 2, 5, 6)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kpas.base.roles import Role
from kpas.figures.models import SchoolFigures
from kpas.figures.rules import attendance_trend
from kpas.figures.services import school_figures_refresh
from kpas.site.home_officer import trend_words
from schools.codes import ALL_CODES
from schools.models import Mark
from tests.factories import UserFactory
from tests.factories.attendance import AS_OF, constructed_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(client, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("kpas.site.views.today", lambda: AS_OF)
    officer = UserFactory(role=Role.ATTENDANCE_OFFICER)
    built = constructed_school(name="Ash Primary", attendance_officer=officer)
    return built, officer


def test_figures_agree_with_the_raw_marks(linked) -> None:  # type: ignore[no-untyped-def]
    built, _ = linked
    # Written by the nightly evaluation's hook (constructed_school evaluates the school).
    row = SchoolFigures.objects.get(school=built.school, cohort="all")
    codes = list(Mark.objects.filter(school=built.school).values_list("code", flat=True))
    possible = sum(1 for c in codes if ALL_CODES[c].possible)
    attended = sum(1 for c in codes if ALL_CODES[c].counts_as_attendance)
    unauthorised = sum(1 for c in codes if ALL_CODES[c].is_unauthorised)
    assert (row.possible, row.attendance, row.unauthorised) == (possible, attended, unauthorised)
    assert (row.possible, row.attendance) == (696, 604)
    assert (row.pupils, row.persistent, row.severe) == (6, 2, 1)  # DfE: PA of pupils
    fsm = SchoolFigures.objects.get(school=built.school, cohort="fsm")
    assert (fsm.pupils, fsm.persistent) == (2, 1)
    assert row.data_date == AS_OF and row.school_days_behind == 0
    # Idempotent: a second refresh rewrites the same rows.
    assert school_figures_refresh(school_id=built.school.pk, as_of=AS_OF) == 8
    assert SchoolFigures.objects.filter(school=built.school).count() == 8


def test_officer_home_shows_linked_schools_against_national(client, linked) -> None:  # type: ignore[no-untyped-def]
    _, officer = linked
    client.force_login(officer)
    page = " ".join(client.get(reverse("home")).content.decode().split())
    assert "Ash Primary" in page
    assert "86.8%" in page  # 604 / 696
    assert "94.7%" in page  # England, primary, 2025/26 to date
    assert "Below national" in page
    cells = page.split("Ash Primary", 1)[1]
    # Overdue N codes 1, threshold met without a request 1 (the persistent pupil).
    numeric = '<td class="govuk-table__cell govuk-table__cell--numeric">'
    assert f"{numeric}1</td> {numeric}1</td> {numeric}" in cells


def test_officer_home_queries_do_not_grow_with_schools(
    client, linked, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    _, officer = linked
    for n in range(3):
        constructed_school(name=f"Extra {n}", attendance_officer=officer)
    client.force_login(officer)
    # A linked school with no figures yet (no register) still shows, with dashes.
    from tests.factories import SchoolFactory

    SchoolFactory(name="New Free School", attendance_officer=officer)
    # Session, user, second factor; the schools, figures, alerts, returns and meetings (one
    # each, whatever the number of schools); the officer's next meetings; the queue summary.
    with django_assert_max_num_queries(13):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "New Free School" in response.content.decode()


def test_officer_home_counts_returns_overdue_and_the_authoritys_pa(client, linked) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from returns.models import ReturnEntry

    built, officer = linked
    ReturnEntry.objects.filter(school=built.school).delete()
    for n, (pupil, due_on, status) in enumerate(
        (
            ("severe", AS_OF - timedelta(days=3), "due"),  # overdue
            ("persistent", AS_OF + timedelta(days=3), "due"),  # due, not overdue
            ("slipping", AS_OF - timedelta(days=9), "returned"),  # done
        )
    ):
        ReturnEntry.objects.create(
            school=built.school,
            pupil=built.pupils[pupil],
            kind="attendance",
            episode_key=f"test-{n}",
            met_on=AS_OF - timedelta(days=20),
            due_on=due_on,
            status=status,
        )
    client.force_login(officer)
    page = " ".join(client.get(reverse("home")).content.decode().split())
    cells = page.split("Ash Primary", 1)[1]
    numeric = '<td class="govuk-table__cell govuk-table__cell--numeric">'
    assert f'{numeric}1<br><span class="govuk-body-s">of 2 to make</span></td>' in cells
    assert "Kent County Council 15.2%" in cells  # Kent's published primary PA, 2025/26


# --- the trend: the last 4 school weeks against the 4 before them (docs/dashboards.md) ------
@pytest.mark.parametrize(
    ("recent", "prior", "expected"),
    [
        pytest.param((232, 240), (216, 240), 100 * 16 / 240, id="up"),
        pytest.param((216, 240), (232, 240), -100 * 16 / 240, id="down"),
        pytest.param((90, 100), (180, 200), 0.0, id="level: rates, not sessions"),
        pytest.param((90, 100), (0, 0), None, id="no weeks before: no trend"),
        pytest.param((0, 0), (90, 100), None, id="no recent sessions: no trend"),
    ],
)
def test_attendance_trend(recent, prior, expected) -> None:  # type: ignore[no-untyped-def]
    trend = attendance_trend(
        recent_attendance=recent[0],
        recent_possible=recent[1],
        prior_attendance=prior[0],
        prior_possible=prior[1],
    )
    assert trend == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(
    ("points", "words"),
    [
        pytest.param(1.23, "up 1.2 points on the 4 weeks before", id="up"),
        pytest.param(-0.46, "down 0.5 points on the 4 weeks before", id="down"),
        pytest.param(2.96, "up 3.0 points on the 4 weeks before", id="rounds up"),
        pytest.param(0.04, "level with the 4 weeks before", id="rounds to nothing"),
        pytest.param(-0.04, "level with the 4 weeks before", id="rounds to nothing, down"),
        pytest.param(None, "", id="none"),
    ],
)
def test_trend_words(points, words) -> None:  # type: ignore[no-untyped-def]
    assert trend_words(points) == words


def test_trend_compares_the_4_school_weeks_before_with_the_raw_marks(client, linked) -> None:  # type: ignore[no-untyped-def]
    # The last 4 school weeks to Fri 28 Nov 2025 start on Mon 3 Nov; the 4 before them are
    # the weeks of 29 Sep, 6, 13 and 20 Oct (half term, 27-31 Oct, is not a school week).
    from datetime import date

    built, officer = linked
    row = SchoolFigures.objects.get(school=built.school, cohort="all")

    def sessions(first: date, last: date) -> tuple[int, int]:
        codes = Mark.objects.filter(school=built.school, date__range=(first, last))
        meanings = [ALL_CODES[c] for c in codes.values_list("code", flat=True)]
        return (
            sum(1 for m in meanings if m.counts_as_attendance),
            sum(1 for m in meanings if m.possible),
        )

    assert (row.recent_attendance, row.recent_possible) == sessions(
        date(2025, 11, 3), date(2025, 11, 28)
    )
    assert (row.prior_attendance, row.prior_possible) == sessions(
        date(2025, 9, 29), date(2025, 11, 2)
    )
    assert row.trend == pytest.approx(
        100 * row.recent_attendance / row.recent_possible
        - 100 * row.prior_attendance / row.prior_possible
    )
    client.force_login(officer)
    page = " ".join(client.get(reverse("home")).content.decode().split())
    assert trend_words(row.trend) in page.split("Ash Primary", 1)[1]
    assert trend_words(row.trend).startswith("up ")  # the severe pupil was off in early October
