"""A higher floor shows a panel on a schools page through the registry (ADR 0008)."""

from __future__ import annotations

import pytest

from schools import panels


@pytest.fixture
def registered():
    calls = []

    def context(*, user, pupil):
        calls.append((user, pupil))
        return None if pupil == "hidden" else {"pupil": pupil}

    panels.panel_register(
        page=panels.PUPIL_RECORD,
        panel=panels.Panel("test-notices", "test/panel.html", context, order=1),
    )
    yield calls
    panels.panel_unregister(page=panels.PUPIL_RECORD, name="test-notices")


def test_a_registered_panel_is_rendered_with_its_context(registered):
    rendered = [
        p
        for p in panels.panels_for(panels.PUPIL_RECORD, user="u", pupil="p")
        if p.name == "test-notices"
    ]
    assert rendered == [panels.RenderedPanel("test-notices", "test/panel.html", {"pupil": "p"})]
    assert registered == [("u", "p")]


def test_a_panel_with_nothing_to_show_is_left_out(registered):
    names = [p.name for p in panels.panels_for(panels.PUPIL_RECORD, user="u", pupil="hidden")]
    assert "test-notices" not in names


def test_an_unknown_page_is_refused():
    with pytest.raises(ValueError):
        panels.panel_register(page="nowhere", panel=panels.Panel("x", "x.html", lambda **_: {}))
