"""Field-level history of pupils and parents (issue 15 item 3; ADR 0012): every way a record
changes keeps who changed what from what, and the authority reads it on the pupil's record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kpas.base.roles import Role
from schools.imports.services import import_run
from schools.models import Parent, PupilParent, RecordChange, SchoolMembership
from schools.record_history import pupil_history_for
from tests.factories import UserFactory
from tests.factories.attendance import AS_OF, constructed_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def built():  # type: ignore[no-untyped-def]
    return constructed_school()


def parents_file(upn: str, postcode: str) -> bytes:
    return f"upn,parent_ref,forename,surname,postcode\n{upn},P-9,Alex,Pupil,{postcode}\n".encode()


def test_the_authoritys_parents_file_keeps_the_history_of_what_it_changed(built):
    pupil = built.pupils["persistent"]
    assert import_run(kind="parents", data=parents_file(pupil.upn, "ME1 1AA")).status == "applied"
    second = import_run(kind="parents", data=parents_file(pupil.upn, "ME2 2BB"))
    change = RecordChange.objects.get(record="parent", field="postcode")
    assert (change.pupil_id, change.before, change.after) == (pupil.pk, "ME1 1AA", "ME2 2BB")
    assert second.batch is not None and change.source_import_id == second.batch.pk
    assert change.object_id == Parent.objects.get(parent_ref="P-9").pk


def test_a_change_made_in_the_admin_keeps_its_history_and_who_made_it(built, client):
    pupil = built.pupils["persistent"]
    parent = Parent.objects.create(forename="Sam", surname="Pupil", postcode="ME1 1AA")
    PupilParent.objects.create(pupil=pupil, parent=parent)
    admin = UserFactory(role=Role.SERVICE_ADMIN, is_staff=True, is_superuser=True,
                        full_name="Ada Admin")  # fmt: skip
    client.force_login(admin)
    url = reverse("admin:schools_parent_change", args=[parent.pk])
    form = client.get(url).context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data["postcode"] = "CT1 1AA"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    [change] = RecordChange.objects.filter(record="parent")
    assert (change.field, change.before, change.after) == ("postcode", "ME1 1AA", "CT1 1AA")
    assert (change.pupil_id, change.actor_id, change.source_import_id) == (
        pupil.pk,
        admin.pk,
        None,
    )


def record_page(client, built):  # type: ignore[no-untyped-def]
    pupil = built.pupils["persistent"]
    url = reverse("schools:pupil-detail", kwargs={"urn": built.school.urn, "upn": pupil.upn})
    return client.get(f"{url}?as_of={AS_OF}")


def test_the_authority_reads_the_history_on_the_pupils_record(built, client):
    pupil = built.pupils["persistent"]
    editor = UserFactory(role=Role.SERVICE_ADMIN, full_name="Ada Admin")
    RecordChange.objects.create(record="pupil", object_id=pupil.pk, pupil=pupil,
                                field="date_of_birth", before="2015-01-10",
                                after="2015-01-11", actor=editor)  # fmt: skip
    client.force_login(UserFactory(role=Role.COURTS_TEAM))
    page = record_page(client, built).content.decode()
    assert 'id="history"' in page
    for text in ("Date of birth", "2015-01-10", "2015-01-11", "Ada Admin"):
        assert text in page


def test_school_staff_do_not_see_the_history(built, client):
    pupil = built.pupils["persistent"]
    RecordChange.objects.create(record="pupil", object_id=pupil.pk, pupil=pupil,
                                field="surname", before="Old", after="New")  # fmt: skip
    head = UserFactory(role=Role.HEADTEACHER)
    SchoolMembership.objects.create(user=head, school=built.school)
    client.force_login(head)
    page = record_page(client, built).content.decode()
    assert 'id="history"' not in page


def test_a_parents_history_is_shown_only_where_their_details_may_be_seen(built):
    pupil = built.pupils["persistent"]
    for record, field in (("pupil", "surname"), ("parent", "postcode")):
        RecordChange.objects.create(record=record, object_id=pupil.pk, pupil=pupil,
                                    field=field, before="a", after="b")  # fmt: skip
    officer = UserFactory(role=Role.ATTENDANCE_OFFICER)
    seen = pupil_history_for(officer, pupil, contacts_visible=True)
    hidden = pupil_history_for(officer, pupil, contacts_visible=False)
    assert seen is not None and hidden is not None
    assert {row.field for row in seen} == {"Legal surname", "Postcode"}
    assert {row.field for row in hidden} == {"Legal surname"}
