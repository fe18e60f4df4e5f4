"""An "Add another" list for keyboard and screen reader users (WCAG 1.3.1, 3.3.1, 2.4.3): one
fieldset named by its legend, an error on the whole list that its inputs point at and that the
error summary links to a focusable input, and where focus goes after Add another and Remove."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from referrals import errors
from referrals.engine.anchors import group_anchor
from referrals.engine.definitions import Field, Kind

pytestmark = pytest.mark.django_db


def _candidates_list(world) -> tuple[Client, str]:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.head)
    url = client.post("/dfd/attendance-or-sickness-return/").url
    return client, client.post(url, {}).url  # past the candidates, to the list of pupils


def test_an_empty_list_is_a_fieldset_whose_error_its_inputs_point_at(world):  # type: ignore[no-untyped-def]
    client, url = _candidates_list(world)
    html = client.post(url, {"action": "continue", "pupils-count": "1"}).content.decode()
    message = errors.GROUP_MIN_ITEMS.format(item="pupil")
    assert f'<a href="#id_pupils-0-upn">{message}</a>' in html  # an input, not a div
    assert (
        '<fieldset class="govuk-fieldset" id="id_pupils" aria-describedby="id_pupils-error">'
        in html
    )
    upn_input = re.search(r'<input[^>]*id="id_pupils-0-upn"[^>]*>', html)
    assert upn_input is not None and "id_pupils-error" in upn_input.group(0), upn_input


def test_focus_after_add_another_and_remove(world):  # type: ignore[no-untyped-def]
    client, url = _candidates_list(world)
    added = client.post(
        url, {"action": "add:pupils", "pupils-count": "1", "pupils-0-upn": world.pupil.upn}
    ).content.decode()
    assert '<script id="dfd-focus" type="application/json">"pupils-1"</script>' in added
    assert 'formaction="#id_pupils-2-upn"' in added  # without JavaScript: the next new item
    removed = client.post(
        url, {"action": "remove:pupils:1", "pupils-count": "2", "pupils-0-upn": world.pupil.upn}
    ).content.decode()
    assert '<script id="dfd-focus" type="application/json">"pupils-heading"</script>' in removed
    assert 'id="id_pupils-heading" tabindex="-1"' in removed


@pytest.mark.parametrize(
    ("first", "anchor"),
    [
        (Field("name", "Name"), "id_items-0-name"),
        (Field("when", "When", kind=Kind.DATE), "id_items-0-when-day"),
    ],
    ids=["text-input", "date-day-input"],
)
def test_a_list_error_links_to_its_first_input(first: Field, anchor: str) -> None:
    group = Field("items", "Items", kind=Kind.GROUP, item_label="Item", fields=(first,))
    assert group_anchor(group) == anchor


def test_check_page_gives_two_steps_with_one_title_one_heading() -> None:
    """CME's "Brothers and sisters" question and its list are two steps with one title: one
    heading on the check page, not two headings with the same text."""
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    def section(slug: str, key: str) -> SimpleNamespace:
        row = SimpleNamespace(items=None, key=key, lines=["Yes"], anchor="x")
        return SimpleNamespace(
            step=SimpleNamespace(title="Brothers and sisters", slug=slug), rows=[row]
        )

    html = render_to_string(
        "referrals/_summary.html",
        {"sections": [section("siblings", "Has siblings"), section("details", "Names")]},
    )
    assert html.count("<h2") == 1 and "Names" in html and "Has siblings" in html


@pytest.mark.parametrize(
    ("label", "spoken"),
    [
        ("UPN", "unique pupil number (UPN)"),
        ("Legal first name", "legal first name"),
        ("EHCP details", "EHCP details"),
    ],
)
def test_change_links_read_as_words(label: str, spoken: str) -> None:
    from referrals.templatetags.referrals import spoken as spoken_filter

    assert spoken_filter(label) == spoken
