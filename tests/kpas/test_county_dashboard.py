"""The authority's dashboard reads the precomputed figures: totals are sums of schools'
sessions and pupils (so exact) and agree with the raw marks, week by week and term by term;
scoped, anonymised on request, downloaded as CSV and XLSX; the published England, South East
and Kent figures beside; the figures other apps register (cases, penalty notices, returns)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter, defaultdict
from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from kpas.base.roles import Role
from kpas.figures.models import SchoolFigures, SchoolWeekFigures
from kpas.figures.services import school_figures_refresh
from referrals.cases.models import Case
from schools.codes import ALL_CODES
from schools.models import Mark
from tests.factories import UserFactory
from tests.factories.attendance import AS_OF, TERM_START, bulk_register, constructed_school
from tests.factories.register import pupil_at

pytestmark = pytest.mark.django_db
SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.fixture
def county(client):  # type: ignore[no-untyped-def]
    first = constructed_school(name="Birch Primary")
    second = constructed_school(name="Cedar Primary")
    # A nursery-age pupil (4 on 31 August 2025): on the register, but not of compulsory
    # school age, so in none of the figures (the DfE's count).
    young = pupil_at(second.school, born=date(2021, 6, 1))
    bulk_register(second.school, [young], TERM_START, AS_OF, {})
    school_figures_refresh(school_id=second.school.pk, as_of=AS_OF)
    admin = UserFactory(role=Role.SERVICE_ADMIN)
    client.force_login(admin)
    return first, second, young


def download(client, **params):  # type: ignore[no-untyped-def]
    response = client.get(reverse("figures:county"), {"format": "csv", **params})
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def raw_marks(young):  # type: ignore[no-untyped-def]
    """{monday: Counter(possible, attendance, authorised, unauthorised)} from the marks."""
    weeks: dict[date, Counter[str]] = defaultdict(Counter)
    for day, code in Mark.objects.exclude(pupil=young).values_list("date", "code"):
        c = ALL_CODES[code]
        week = weeks[day - timedelta(days=day.weekday())]
        week["possible"] += c.possible
        week["attendance"] += c.counts_as_attendance
        week["unauthorised"] += c.is_unauthorised
        week["authorised"] += c.is_absence and not c.is_unauthorised
    return weeks


def test_county_totals_are_the_raw_marks_of_every_school(client, county) -> None:  # type: ignore[no-untyped-def]
    weeks = raw_marks(county[2])
    possible = sum(w["possible"] for w in weeks.values())
    attended = sum(w["attendance"] for w in weeks.values())
    rows = download(client)
    county_row = next(r for r in rows if r["level"] == "County")
    assert int(county_row["possible_sessions"]) == possible == 2 * 696
    assert county_row["attendance_percent"] == f"{100 * attended / possible:.1f}"
    assert county_row["national_attendance_percent"] == "94.7"
    assert county_row["regional_attendance_percent"] == "94.7"  # South East, primary
    assert county_row["regional_persistent_absence_percent"] == "13.3"
    assert county_row["national_persistent_absence_percent"] == "13.8"
    assert {r["name"] for r in rows if r["level"] == "School"} == {"Birch Primary", "Cedar Primary"}
    assert all(r["school_days_behind"] == "0" for r in rows if r["level"] == "School")


def test_weekly_and_termly_trends_are_the_raw_marks(client, county) -> None:  # type: ignore[no-untyped-def]
    weeks = raw_marks(county[2])
    rows = download(client, table="weeks")
    assert [r["week"] for r in rows] == [f"Week of {m:%-d %B %Y}" for m in sorted(weeks)]
    for row, monday in zip(rows, sorted(weeks), strict=True):
        raw = weeks[monday]
        assert int(row["possible_sessions"]) == raw["possible"]
        assert int(row["attendance_sessions"]) == raw["attendance"]
        absent = raw["authorised"] + raw["unauthorised"]
        assert row["absence_percent"] == f"{100 * absent / raw['possible']:.1f}"
        assert row["unauthorised_absence_percent"] == (
            f"{100 * raw['unauthorised'] / raw['possible']:.1f}"
        )
    # 3 Sep - 28 Nov: 13 Monday-Sunday weeks less half term (27-31 Oct).
    assert len(rows) == 12
    # Each school's weeks add up to its year to date.
    for built in county[:2]:
        year = SchoolFigures.objects.get(school=built.school, cohort="all")
        own = SchoolWeekFigures.objects.filter(school=built.school)
        assert sum(w.possible for w in own) == year.possible
        assert sum(w.attendance for w in own) == year.attendance
        assert sum(w.unauthorised for w in own) == year.unauthorised
    (autumn,) = download(client, table="terms")
    assert autumn["term"] == "Autumn term"
    assert int(autumn["possible_sessions"]) == 2 * 696


def test_the_page_draws_the_weekly_chart_with_its_table(client, county) -> None:  # type: ignore[no-untyped-def]
    page = client.get(reverse("figures:county")).content.decode()
    svg = page.split('<svg class="kpas-chart"', 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "England, all state-funded schools 2025/26" in svg
    assert svg.count("<circle") == 12
    assert 'id="weeks"' in page and 'id="terms"' in page
    assert "<script" not in svg and "href" not in svg  # drawn on the server, nothing fetched
    levels = page.split('id="levels"', 1)[1].split("</table>", 1)[0]
    assert "South East PA" in levels and "13.3%" in levels  # the region's primary PA


def test_school_names_hidden_on_request(client, county) -> None:  # type: ignore[no-untyped-def]
    page = client.get(reverse("figures:county"), {"anonymise": "1"}).content.decode()
    assert "Birch Primary" not in page and "Cedar Primary" not in page
    # Lettered in URN order, the same in every table of the page and in the downloads.
    first, second = sorted((b.school for b in county[:2]), key=lambda s: s.urn)
    schools_table = page.split('id="schools"', 1)[1].split("</table>", 1)[0]
    freshness = page.split('id="freshness"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r"School [A-Z]+", schools_table) == ["School A", "School B"]
    assert sorted(re.findall(r"School [A-Z]+", freshness)) == ["School A", "School B"]
    rows = download(client, anonymise="1")
    by_alias = {r["name"]: r for r in rows if r["level"] == "School"}
    assert set(by_alias) == {"School A", "School B"}
    assert (
        int(by_alias["School B"]["pupils"])
        == SchoolFigures.objects.get(school=second, cohort="all").pupils
    )
    xlsx = client.get(reverse("figures:county"), {"format": "xlsx", "anonymise": "1"})
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as archive:
        text = "".join(archive.read(n).decode() for n in archive.namelist())
    assert "Birch" not in text and "Cedar" not in text and "School A" in text
    assert first.name not in text


def sheets(content: bytes) -> dict[str, list[list[str]]]:
    """The workbook's sheets as rows of cell text, read with the standard library."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        names = [s.get("name") for s in book.iter(f"{SHEET}sheet")]
        out = {}
        for n, name in enumerate(names, start=1):
            root = ElementTree.fromstring(archive.read(f"xl/worksheets/sheet{n}.xml"))
            out[str(name)] = [
                ["".join(c.itertext()) for c in row.iter(f"{SHEET}c")]
                for row in root.iter(f"{SHEET}row")
            ]
    return out


def test_xlsx_holds_every_table_as_the_csv_does(client, county) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("figures:county"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = sheets(response.content)
    assert list(book)[:4] == ["summary", "cohorts", "weeks", "terms"]
    assert {"cases", "penalty-notices", "returns-compliance"} <= set(book)
    for table in ("summary", "weeks", "terms", "cases"):
        csv_rows = download(client, table=table)
        assert book[table][0] == list(csv_rows[0])
        assert book[table][1:] == [list(r.values()) for r in csv_rows]


def test_cases_penalties_and_returns_figures_as_they_exist(client, county) -> None:  # type: ignore[no-untyped-def]
    school = county[0].school
    Case.objects.create(kind=Case.Kind.CME, status="open", school=school)
    Case.objects.create(
        kind=Case.Kind.EXCLUSION,
        status="closed",
        school=school,
        opened_at="2025-09-20T10:00Z",
        closed_at="2025-10-01T10:00Z",
    )
    cases = {r["Case"]: r for r in download(client, table="cases")}
    # Figures of 2025/26 (the dashboard's year): the CME case opened today is open now but
    # was not opened in that year.
    assert cases["Child missing education"]["Open now"] == "1"
    assert cases["Child missing education"]["Opened this school year"] == "0"
    assert cases["Suspension or permanent exclusion"]["Opened this school year"] == "1"
    assert cases["Suspension or permanent exclusion"]["Closed this school year"] == "1"
    assert cases["Suspension or permanent exclusion"]["Open now"] == "0"
    penalties = download(client, table="penalty-notices")
    assert penalties[-1]["District"] == "Total" and penalties[-1]["Notices issued"] == "0"
    assert [r["Status"] for r in download(client, table="returns-compliance")][:2] == [
        "Sent",
        "Sent late",
    ]
    # An officer of no school sees none of them.
    client.force_login(UserFactory(role=Role.ATTENDANCE_OFFICER))
    cases = {r["Case"]: r for r in download(client, table="cases")}
    assert cases["Child missing education"]["Open now"] == "0"


def test_an_unknown_table_is_not_found(client, county) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("figures:county"), {"format": "csv", "table": "nope"})
    assert response.status_code == 404


def test_school_staff_cannot_see_the_authority_dashboard(client, county) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(role=Role.HEADTEACHER))
    assert client.get(reverse("figures:county")).status_code == 404


def test_the_dashboard_reads_a_fixed_number_of_queries(
    client, county, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for n in range(3):
        constructed_school(name=f"Extra {n}")
    with django_assert_max_num_queries(25):
        assert client.get(reverse("figures:county")).status_code == 200
