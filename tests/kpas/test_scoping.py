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
