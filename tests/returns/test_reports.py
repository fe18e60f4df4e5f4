"""The reports against hand-counted fixtures (docs/returns.md "Reports"): returns per period
per school, deletion returns by ground, school and month, and Year 11 deletions before the
spring census against the county's rate; the CSV and XLSX downloads hold the same figures."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, time

import pytest
from django.test import Client
from django.utils import timezone

from returns.models import ReturnEntry, ReturnPeriod
from returns.report_rules import spring_census_day, stands_out
from returns.report_selectors import deletions_for, returns_per_period, year11_standout_for
from schools.models import Enrolment
from tests.factories import SchoolFactory
from tests.factories.register import pupil_at
from tests.referrals.conftest import TODAY, private_media, world  # noqa: F401
from tests.returns.test_offrolling import _sent


@pytest.mark.parametrize(
    ("year", "census"),
    [(2025, date(2026, 1, 15)), (2024, date(2025, 1, 16)), (2026, date(2027, 1, 21))],
)
def test_the_spring_census_is_the_third_thursday_of_january(year, census):  # type: ignore[no-untyped-def]
    assert spring_census_day(year) == census


@pytest.mark.parametrize(
    ("count", "roll", "county", "county_roll", "out"),
    [
        pytest.param(3, 10, 5, 50, True, id="0.3-against-0.1"),
        pytest.param(2, 10, 5, 50, False, id="exactly-twice-is-not-more"),
        pytest.param(1, 2, 5, 50, False, id="below-the-minimum-count"),
        pytest.param(0, 0, 5, 50, False, id="no-roll"),
        pytest.param(2, 10, 0, 0, False, id="no-county-figure"),
    ],
)
def test_stands_out(count, roll, county, county_roll, out):  # type: ignore[no-untyped-def]
    assert stands_out(count=count, roll=roll, county_count=county, county_roll=county_roll) is out


def _year11(school, n: int, ended: list[date]) -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        pupil = pupil_at(school, born=date(2010, 3, 1))
        end = ended[i] if i < len(ended) else None
        Enrolment.objects.filter(pupil=pupil).update(year_group="11", end_date=end)


def test_year_11_deletions_stand_out_against_the_county(world):  # type: ignore[no-untyped-def]  # noqa: F811
    w = world
    small = SchoolFactory(urn="118030", name="Tiny Secondary", district=w.school.district)
    # By hand: 3/10 at Oakfield; 1/29 at Medway Valley (the pupil who left in July was not on
    # roll in the window); 1/2 at Tiny: county 5/41 = 0.122.
    _year11(w.school, 10, [date(2025, 9, 19), date(2025, 10, 3), date(2025, 11, 21)])
    _year11(w.other_school, 30, [date(2025, 10, 10), date(2025, 7, 18)])  # July: before
    _year11(small, 2, [date(2025, 11, 14)])
    found = year11_standout_for(w.admin, academic_year=2025)
    rows = {r.school.name: (r.deletions, r.roll, r.stands_out) for r in found.rows}
    assert (found.county_deletions, found.county_roll) == (5, 41)
    assert rows == {
        "Oakfield Primary School": (3, 10, True),  # 0.3 > 2 x 0.122
        "Medway Valley Academy": (1, 29, False),
        "Tiny Secondary": (1, 2, False),  # 0.5, but one deletion is not a pattern
    }
    assert found.rows[0].school == w.school


def test_deletions_by_ground_school_and_month(world):  # type: ignore[no-untyped-def]  # noqa: F811
    w = world
    for school, ground, day in [
        (w.school, "1a", date(2025, 11, 3)),
        (w.school, "1a", date(2025, 10, 6)),
        (w.school, "1f", date(2025, 11, 17)),
        (w.other_school, "1i", date(2025, 9, 22)),
        (w.other_school, "1i", date(2025, 6, 30)),  # last school year: not counted
    ]:
        _sent(w, school=school, pupil=pupil_at(school), ground=ground, deleted_on=day)
    counts = deletions_for(w.admin, academic_year=2025)
    assert counts.total == 4
    assert counts.by_ground == [("1a", 2), ("1f", 1), ("1i", 1)]
    assert [(s.name, n) for s, n in counts.by_school] == [
        ("Oakfield Primary School", 3),
        ("Medway Valley Academy", 1),
    ]
    assert counts.by_month == [("2025-09", 1), ("2025-10", 1), ("2025-11", 2)]

    client = Client()
    client.force_login(w.admin)
    response = client.get("/returns/reports/?year=2025&download=deletions&format=csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["Ground", "1a", "2"] in table and ["Month", "2025-11", "2"] in table
    xlsx = client.get("/returns/reports/?year=2025&download=deletions&format=xlsx")
    sheet = zipfile.ZipFile(io.BytesIO(xlsx.content)).read("xl/worksheets/sheet1.xml").decode()
    assert "Oakfield Primary School (118001)" in sheet and "<v>3</v>" in sheet
    page = client.get("/returns/reports/?year=2025").content.decode()
    assert "4 deletion returns" in page
    assert client.get("/returns/reports/").status_code == 200
    school_client = Client()
    school_client.force_login(w.head)
    assert school_client.get("/returns/reports/").status_code == 404


def test_returns_per_period_per_school(world):  # type: ignore[no-untyped-def]  # noqa: F811
    w = world
    period = ReturnPeriod.objects.create(
        school=w.school, cycle="termly", starts=date(2025, 9, 3), ends=date(2025, 12, 19),
        due_on=date(2025, 11, 20),
    )  # fmt: skip
    sent = timezone.make_aware(datetime.combine(date(2025, 11, 25), time(9)))
    early = timezone.make_aware(datetime.combine(date(2025, 11, 10), time(9)))
    for status, returned_at in [("returned", sent), ("returned", early), ("due", None),
                                ("not_needed", None)]:  # fmt: skip
        ReturnEntry.objects.create(
            school=w.school, pupil=pupil_at(w.school), kind="attendance", episode_key="x",
            period=period, met_on=date(2025, 10, 1), due_on=period.due_on, status=status,
            returned_at=returned_at,
        )  # fmt: skip
    (row,) = returns_per_period(w.admin, today=TODAY)
    assert (row.status, row.to_return, row.returned, row.returned_late, row.not_needed) == (
        "overdue", 1, 2, 1, 1,
    )  # fmt: skip
