"""Who sees which schools (DESIGN: security model). Out of scope is "not found"."""

from __future__ import annotations

import pytest
from django.http import Http404

from kpas.base.roles import Role
from schools.models import SchoolMembership
from schools.selectors import pupil_get_for, pupil_list_for, school_get_for, school_list_for
from tests.factories import AreaFactory, DistrictFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():  # type: ignore[no-untyped-def]
    west, east = AreaFactory(name="West"), AreaFactory(name="East")
    ao, eia = UserFactory(role=Role.ATTENDANCE_OFFICER), UserFactory(role=Role.EXCLUSION_ADVISER)
    maidstone = DistrictFactory(name="Maidstone", area=west)
    thanet = DistrictFactory(name="Thanet", area=east)
    a = SchoolFactory(urn="100001", district=maidstone, attendance_officer=ao)
    b = SchoolFactory(urn="100002", district=maidstone, exclusion_adviser=eia)
    c = SchoolFactory(urn="100003", district=thanet)
    return {"west": west, "ao": ao, "eia": eia, "a": a, "b": b, "c": c}


def urns(user) -> set[str]:  # type: ignore[no-untyped-def]
    return set(school_list_for(user).values_list("urn", flat=True))


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        pytest.param(Role.COURTS_TEAM, {"100001", "100002", "100003"}, id="courts-countywide"),
        pytest.param(Role.CME_TEAM, {"100001", "100002", "100003"}, id="cme-countywide"),
        pytest.param(Role.EHE_TEAM, {"100001", "100002", "100003"}, id="ehe-countywide"),
        pytest.param(Role.SERVICE_ADMIN, {"100001", "100002", "100003"}, id="admin-countywide"),
        pytest.param(Role.HEADTEACHER, set(), id="school-staff-without-a-school-see-nothing"),
        pytest.param(Role.AREA_MANAGER, set(), id="area-manager-without-an-area-sees-nothing"),
    ],
)
def test_roles_without_links(county, role, expected):  # type: ignore[no-untyped-def]
    assert urns(UserFactory(role=role)) == expected


def test_linked_officers_see_their_schools_only(county):  # type: ignore[no-untyped-def]
    # KSAH §10: each school has a linked AO and EIA; casework follows the school.
    assert urns(county["ao"]) == {"100001"}
    assert urns(county["eia"]) == {"100002"}


def test_area_manager_sees_their_area(county):  # type: ignore[no-untyped-def]
    manager = UserFactory(role=Role.AREA_MANAGER, area=county["west"])
    assert urns(manager) == {"100001", "100002"}


def test_school_staff_see_the_schools_they_belong_to(county):  # type: ignore[no-untyped-def]
    head = UserFactory(role=Role.HEADTEACHER)
    SchoolMembership.objects.create(user=head, school=county["c"])
    assert urns(head) == {"100003"}
    with pytest.raises(Http404):
        school_get_for(head, "100001")  # exists, but out of scope: not found


def test_inactive_user_sees_nothing(county):  # type: ignore[no-untyped-def]
    courts = UserFactory(role=Role.COURTS_TEAM, is_active=False)
    assert urns(courts) == set()


def test_pupils_follow_school_scope(demo_world):  # type: ignore[no-untyped-def]
    from kpas.base.models import User
    from schools.models import Pupil

    head = User.objects.get(email="head@demo.kpas.test")
    visible = pupil_list_for(head)
    assert visible.exists()
    other = Pupil.objects.exclude(pk__in=visible.values("pk")).first()
    assert other is not None
    with pytest.raises(Http404):
        pupil_get_for(head, other.upn)


# --- a pupil who moves school (issue 10 item 1) ------------------------------------------------
# The old school, and officers linked only to it, see the record as it was at their school:
# their own enrolment, marks and figures, never the new school's, and no current address or
# contacts of the pupil or parents (a family may move to get away from someone).
NEW_ADDRESS = ("14 Refuge Lane", "Newtown", "NT1 2AB")
PARENT_CONTACTS = ("07700 900123", "parent@example.test", "14 Refuge Lane")


@pytest.fixture
def moved():  # type: ignore[no-untyped-def]
    from datetime import date

    from schools.models import Enrolment, Parent, PupilParent
    from tests.factories.register import fill, pupil_at, school_with_terms

    ao = UserFactory(role=Role.ATTENDANCE_OFFICER)
    old = school_with_terms(urn="131001", name="Old Lane Primary", attendance_officer=ao)
    new = school_with_terms(urn="131002", name="Fresh Start Academy")
    pupil = pupil_at(old)
    pupil.enrolments.update(end_date=date(2025, 7, 22))
    Enrolment.objects.create(pupil=pupil, school=new, start_date=date(2025, 9, 3))
    pupil.address_line_1, pupil.town, pupil.postcode = NEW_ADDRESS
    pupil.save()
    parent = Parent.objects.create(
        forename="Pat",
        surname="Pupil",
        phone=PARENT_CONTACTS[0],
        email=PARENT_CONTACTS[1],
        address_line_1=PARENT_CONTACTS[2],
    )
    PupilParent.objects.create(pupil=pupil, parent=parent, relationship="Mother")
    fill(old, pupil, date(2025, 4, 14), date(2025, 7, 22), code="G")  # old school: absent
    fill(new, pupil, date(2025, 9, 3), date(2025, 11, 20))  # new school: present
    users = {"ao": ao}
    for name, school in (("old_head", old), ("new_head", new)):
        users[name] = UserFactory(role=Role.HEADTEACHER)
        SchoolMembership.objects.create(user=users[name], school=school)
    return {"old": old, "new": new, "pupil": pupil, **users}


NEW_SCHOOL_TRACES = ("131002", "Fresh Start Academy", *NEW_ADDRESS, *PARENT_CONTACTS)


@pytest.mark.parametrize("reader", ["old_head", "ao"])
def test_a_former_school_sees_the_record_as_it_was_there(moved, client, reader):  # type: ignore[no-untyped-def]
    from django.urls import reverse

    pupil = moved["pupil"]
    client.force_login(moved[reader])
    api = f"/api/v1/pupils/{pupil.upn}"
    detail = client.get(f"{api}/")
    assert detail.status_code == 200
    body = detail.json()
    assert [e["urn"] for e in body["enrolments"]] == ["131001"]
    assert body["contacts_visible"] is False
    assert body["parents"] == []
    assert body["address_line_1"] == body["postcode"] == ""

    report = client.get(f"{api}/attendance/?as_of=2025-11-20")
    assert report.status_code == 200
    assert report.json()["urn"] == "131001"
    assert report.json()["sessions"]["present"] == 0  # the new school's attendance is not theirs
    summer = client.get(f"{api}/attendance/?as_of=2025-07-22").json()
    assert summer["urn"] == "131001" and summer["sessions"]["unauthorised"] > 0

    marks = client.get(f"{api}/marks/?from=2025-04-01&to=2025-11-30")
    assert marks.status_code == 200
    assert {m["urn"] for m in marks.json()["marks"]} == {"131001"}

    today = client.get(f"{api}/attendance/")  # default as_of: today, long after the move
    assert today.status_code == 200 and today.json()["urn"] == "131001"

    page = client.get(reverse("schools:pupil-detail", kwargs={"urn": "131001", "upn": pupil.upn}))
    assert page.status_code == 200
    assert "Old Lane Primary" in page.content.decode()
    for response in (detail, report, today, marks, page):
        text = response.content.decode()
        leaked = [trace for trace in NEW_SCHOOL_TRACES if trace in text]
        assert leaked == [], (response, leaked)
    # The new school's page of the pupil is out of scope: not found.
    other = reverse("schools:pupil-detail", kwargs={"urn": "131002", "upn": pupil.upn})
    assert client.get(other).status_code == 404


def test_the_new_school_sees_everything_of_its_own(moved, client):  # type: ignore[no-untyped-def]
    from django.urls import reverse

    pupil = moved["pupil"]
    client.force_login(moved["new_head"])
    body = client.get(f"/api/v1/pupils/{pupil.upn}/").json()
    assert [e["urn"] for e in body["enrolments"]] == ["131002"]  # not the old school's
    assert body["contacts_visible"] is True
    assert body["address_line_1"] == NEW_ADDRESS[0]
    assert body["parents"][0]["phone"] == PARENT_CONTACTS[0]
    report = client.get(f"/api/v1/pupils/{pupil.upn}/attendance/?as_of=2025-11-20").json()
    assert report["urn"] == "131002" and report["sessions"]["present"] > 0
    page = client.get(reverse("schools:pupil-detail", kwargs={"urn": "131002", "upn": pupil.upn}))
    text = page.content.decode()
    assert NEW_ADDRESS[0] in text and PARENT_CONTACTS[0] in text
    assert "Old Lane Primary" not in text


def test_a_pupil_who_left_for_no_known_school_keeps_the_last_known_contacts(moved):  # type: ignore[no-untyped-def]
    from schools.models import Enrolment
    from schools.selectors import pupil_view_for

    # Without a later enrolment beyond the reader's scope nothing has moved on from them.
    Enrolment.objects.filter(school=moved["new"]).delete()
    view = pupil_view_for(moved["old_head"], moved["pupil"])
    assert view.contacts_visible is True
    assert [e.school.urn for e in view.enrolments] == ["131001"]


def test_the_demo_moves_a_pupil_at_the_last_holiday(client):  # type: ignore[no-untyped-def]
    from datetime import date

    from django.urls import reverse

    from schools.demo_moves import NEW_ADDRESS as DEMO_ADDRESS
    from schools.demo_moves import demo_moved_pupil_create
    from schools.models import Mark, Parent, PupilParent
    from tests.factories.register import fill, pupil_at, school_with_terms

    old = school_with_terms(urn="131101", name="Demo Old Primary")
    new = school_with_terms(urn="131102", name="Demo New Primary")
    pupil = pupil_at(old)
    parent = Parent.objects.create(forename="Sam", surname="Pupil", phone="01234 567890")
    PupilParent.objects.create(pupil=pupil, parent=parent)
    fill(old, pupil, date(2025, 9, 3), date(2025, 11, 20))
    moved = demo_moved_pupil_create(schools=[old, new], from_urn="131101", as_of=date(2025, 11, 20))
    assert moved is not None and moved.pk == pupil.pk
    # Autumn half term 27-31 Oct: left on the Friday before, joined on the Monday after.
    ends = sorted(pupil.enrolments.values_list("school__urn", "start_date", "end_date"))
    assert ends == [
        ("131101", date(2024, 9, 1), date(2025, 10, 24)),
        ("131102", date(2025, 11, 3), None),
    ]
    assert not Mark.objects.filter(school=old, pupil=pupil, date__gt=date(2025, 10, 24)).exists()
    assert Mark.objects.filter(school=new, pupil=pupil).exists()

    head = UserFactory(role=Role.HEADTEACHER)
    SchoolMembership.objects.create(user=head, school=old)
    client.force_login(head)
    page = client.get(reverse("schools:pupil-detail", kwargs={"urn": "131101", "upn": pupil.upn}))
    text = page.content.decode()
    assert page.status_code == 200
    assert DEMO_ADDRESS[0] not in text and "Demo New Primary" not in text
    assert "01234 567890" not in text


def test_the_small_demo_has_no_school_to_move_to(demo_world):  # type: ignore[no-untyped-def]
    from datetime import date

    from schools.demo_moves import demo_moved_pupil_create
    from schools.models import School

    # The small demo has one primary and one secondary: nowhere of the same phase to go.
    schools = list(School.objects.order_by("urn"))
    assert (
        demo_moved_pupil_create(schools=schools, from_urn="118001", as_of=date(2026, 11, 20))
        is None
    )
