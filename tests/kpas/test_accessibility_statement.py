"""The accessibility statement: public (the regulations require it for everyone), linked from
every page's footer, and saying what was tested and what is known not to be accessible."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_statement_is_public_and_follows_the_model() -> None:
    response = Client().get("/accessibility/")
    html = response.content.decode()
    assert response.status_code == 200
    for heading in (
        "How accessible this service is",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ):
        assert heading in html, heading
    assert "320 CSS pixels" in html and "axe-core" in html  # what was tested


def test_every_page_links_to_it_from_the_footer() -> None:
    html = Client().get("/sign-in/").content.decode()
    link = '<a class="govuk-footer__link" href="/accessibility/">Accessibility statement</a>'
    assert link in html
