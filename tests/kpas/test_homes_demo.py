"""The demo has a TSM diary, figures and every home page working (issue 14: done when the
dashboards and TSM diary work in the demo)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kpas.base.models import User
from kpas.figures.models import SchoolFigures
from kpas.tsm.models import Meeting, TsmPlan
from schools.models import School


@pytest.mark.django_db
def test_demo_homes_diary_and_dashboard(client, demo_world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from schools.demo import DEMO_AS_OF

    monkeypatch.setattr("kpas.site.views.today", lambda: DEMO_AS_OF)
    assert TsmPlan.objects.count() == School.objects.count()
    assert Meeting.objects.exclude(date=None).exists()
    assert SchoolFigures.objects.filter(cohort="all").count() == School.objects.count()
    for email, must_show in (
        ("head@demo.kpas.test", "What needs doing"),
        ("ao@demo.kpas.test", "Schools you are linked to"),
        ("courts@demo.kpas.test", "Courts Team"),
    ):
        client.force_login(User.objects.get(email=email))
        page = client.get(reverse("home")).content.decode()
        assert must_show in page, email
    client.force_login(User.objects.get(email="ao@demo.kpas.test"))
    assert client.get(reverse("tsm:diary")).status_code == 200
    assert "County" in client.get(reverse("figures:county")).content.decode()
