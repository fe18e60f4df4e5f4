"""The API's interactive docs load from our own static files (issue 10 item 16): offline, a
page that fetched Swagger UI from a CDN was blank."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_swagger_ui_is_served_from_our_own_static_files(client):  # type: ignore[no-untyped-def]
    client.force_login(UserFactory())
    page = client.get("/api/v1/docs/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("swagger-ui" in source for source in sources)
    assert not [s for s in sources if s.startswith(("http://", "https://", "//"))]
    for source in sources:
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), f"{source} is not served"
