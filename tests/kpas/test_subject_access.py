"""Subject-access export (issue 15 item 3; docs/security.md): everything held about one pupil.

The first test walks Django's app registry: any model with a chain of relations to `Pupil`
must be exported or be in `LEFT_OUT` with its reason — a new model about pupils that nobody
added to the export fails here.
"""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models
from django.urls import reverse

from kpas.base.audit import AuditAction
from kpas.base.models import AuditEvent
from kpas.base.roles import Role
from kpas.site.subject_access import LEFT_OUT, SECTIONS, subject_access_export
from penalties.models import PenaltyNotice
from schools.models import Pupil
from tests.factories import UserFactory


def relations(model: type[models.Model]) -> list[tuple[str, type[models.Model]]]:
    """The model's own foreign keys, one-to-ones and many-to-manys, with their targets."""
    return [
        (field.name, field.related_model)  # type: ignore[misc]
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model is not None
    ]


def linked_to_pupil() -> set[str]:
    """Every model from which a chain of relations reaches Pupil (fixed point)."""
    linked: set[type[models.Model]] = {Pupil}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            if model not in linked and any(t in linked for _, t in relations(model)):
                linked.add(model)
                grew = True
    return {model._meta.label for model in linked}


def test_every_model_linked_to_a_pupil_is_exported_or_left_out_with_a_reason():
    exported = {section.model for section in SECTIONS}
    missing = linked_to_pupil() - exported - set(LEFT_OUT)
    assert not missing, (
        f"add these to SECTIONS or LEFT_OUT in kpas/site/subject_access.py: {missing}"
    )
    assert all(reason.strip() for reason in LEFT_OUT.values())
    assert not exported & set(LEFT_OUT)
    for label in exported:
        apps.get_model(label)  # LookupError for a model that no longer exists


def test_every_direct_relation_to_the_pupil_is_followed():
    # A model that names the pupil twice (a case: its own pupil and its submission's) must
    # find rows either way.
    for section in SECTIONS:
        model = apps.get_model(section.model)
        for name, target in relations(model):
            if target is Pupil:
                assert name in section.lookups, f"{section.model}.{name} is not followed"


def test_the_walk_finds_what_it_should():
    # The walk itself: the test above cannot pass by finding nothing.
    assert {"schools.Parent", "cases.CaseEvent", "penalties.NoticePayment"} <= linked_to_pupil()
    assert "kpas.Area" not in linked_to_pupil()


@pytest.fixture
def noticed(demo_world):  # type: ignore[no-untyped-def]
    """The demo's pupil with a penalty notice (and a case, a submission, marks...)."""
    return PenaltyNotice.objects.select_related("pupil").order_by("pk").first().pupil


@pytest.mark.django_db
def test_the_export_holds_the_pupils_data_and_no_other_pupils(noticed, client, tmp_path):
    # One demo world (slow to seed) for the export, the command and the page.
    data = subject_access_export(noticed.upn)
    sections = data["sections"]
    assert sections["pupil"]["rows"][0]["upn"] == noticed.upn
    for name in ("enrolments", "parents", "marks", "attendance_by_year", "penalty_notices"):
        assert sections[name]["rows"], name
    assert all(row["pupil_id"] == noticed.pk for row in sections["marks"]["rows"])
    assert "codes" not in sections["attendance_by_year"]["rows"][0]
    others = set(Pupil.objects.exclude(pk=noticed.pk).values_list("upn", flat=True))
    assert not [upn for upn in others if upn in json.dumps(data, default=str)]
    # A list page that named the pupil (and others) is in their audit events, naming only them.
    client.force_login(UserFactory(role=Role.COURTS_TEAM))
    school = noticed.enrolments.first().school
    page = client.get(reverse("schools:school-pupils", kwargs={"urn": school.urn}))
    assert page.status_code == 200 and noticed.upn in page.content.decode()
    again = subject_access_export(noticed.upn)
    [listed] = [e for e in again["audit_events"] if e["action"] == AuditAction.SCHOOL_PUPILS_LISTED]
    assert listed["detail"]["upns"] == [noticed.upn]
    assert not [upn for upn in others if upn in json.dumps(again, default=str)]

    # The command: JSON to a file, audited, a clear error for an unknown UPN.
    out = tmp_path / "export.json"
    call_command("subject_access_export", noticed.upn.lower(), "--output", str(out))
    assert json.loads(out.read_text())["upn"] == noticed.upn
    event = AuditEvent.objects.get(action=AuditAction.SUBJECT_ACCESS_EXPORTED)
    assert (event.object_id, event.detail["via"]) == (str(noticed.pk), "command")
    with pytest.raises(CommandError, match="No pupil with UPN"):
        call_command("subject_access_export", "X000000000000")

    # The page: the service administrator downloads the same, audited, never cached.
    admin = UserFactory(role=Role.SERVICE_ADMIN)
    client.force_login(admin)
    response = client.post(reverse("subject-access"), {"upn": f" {noticed.upn.lower()} "})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert f'filename="subject-access-{noticed.upn}-' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content)["upn"] == noticed.upn
    event = AuditEvent.objects.filter(action=AuditAction.SUBJECT_ACCESS_EXPORTED).latest("pk")
    assert (event.actor_id, event.detail["via"]) == (admin.pk, "web")


@pytest.mark.django_db
def test_the_page_is_for_the_service_administrator_only(client):
    url = reverse("subject-access")
    client.force_login(UserFactory(role=Role.COURTS_TEAM))
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(role=Role.SERVICE_ADMIN))
    assert client.get(url).status_code == 200
    response = client.post(url, {"upn": "X000000000000"})
    assert response.status_code == 200
    assert "No pupil with UPN X000000000000 is held." in response.content.decode()
