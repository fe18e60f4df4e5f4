"""The precomputed figures, checked against the raw marks, and an officer's home page that
reads them (issue 14 items 2, 5, 6)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kpas.base.roles import Role
from kpas.figures.models import SchoolFigures
from kpas.figures.services import school_figures_refresh
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
    with django_assert_max_num_queries(20):
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
