"""A Digital Front Door form sent, and an officer's action done, with the keyboard alone: Tab,
Shift+Tab, Enter, Space and the arrow keys, no clicks (WCAG 2.1.1). On the way, a question is
reached from the error summary (the link moves focus to it). Every page is axe-checked and
measured for reflow (pages.Site)."""

from __future__ import annotations

import pytest

from kpas.base.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from kpas.base.roles import Role
from referrals.models import Submission

from .pages import Site, code_for
from .test_dfd_pathways import UPN_QUESTION, world  # noqa: F401 (the pupils' fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACCOUNTS = {account.role: account for account in DEMO_ACCOUNTS}
MAX_TABS = 120


class Keyboard:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.page = site.page

    def focused(self) -> dict[str, str]:
        return self.page.evaluate(
            "() => { const e = document.activeElement; return {id: e.id || '',"
            " tag: e.tagName, text: (e.innerText || e.value || '').trim()}; }"
        )

    def tab_to(self, *, element_id: str = "", text: str = "", backwards: bool = False) -> None:
        """Press Tab (or Shift+Tab) until the element with this id, or this text, has focus."""
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(MAX_TABS):
            self.page.keyboard.press(key)
            now = self.focused()
            spoken = " ".join(now["text"].split())
            if (element_id and now["id"] == element_id) or (text and spoken == text):
                return
        raise AssertionError(f"{key} never reached {element_id or text!r}: {self.site.describe()}")

    def id_of(self, label: str) -> str:
        """The id of the input with this label: read, not clicked."""
        return self.page.get_by_label(label, exact=True).first.get_attribute("id") or ""

    def type_into(self, label: str, value: str) -> None:
        self.tab_to(element_id=self.id_of(label))
        self.page.keyboard.type(value)

    def press_and_load(self, key: str = "Enter") -> None:
        with self.site.navigation():
            self.page.keyboard.press(key)

    def activate(self, text: str) -> None:
        """Tab to a button or link by its text and press Enter: a new page loads."""
        self.tab_to(text=text)
        self.press_and_load("Enter")

    def heading(self) -> str:
        return self.site.heading


def test_a_form_and_an_officers_action_with_the_keyboard_alone(site: Site, world) -> None:  # noqa: F811
    keys = Keyboard(site)
    head, adviser = ACCOUNTS[Role.HEADTEACHER], ACCOUNTS[Role.EXCLUSION_ADVISER]

    site.goto("/sign-in/")
    keys.type_into("Email address", head.email)
    keys.type_into("Password", DEMO_PASSWORD)
    keys.press_and_load("Enter")
    assert keys.heading() == head.home_heading

    site.goto("/dfd/exclusion-intervention-advice/")
    keys.activate("Start now")
    keys.type_into(UPN_QUESTION, world["second"].upn)
    keys.press_and_load("Enter")  # Enter in a box continues
    assert keys.heading() == "The pupil's details", site.describe()
    keys.activate("Continue")

    assert keys.heading() == "The advice you need", site.describe()
    keys.type_into("Describe the situation", "Three suspensions this term.")
    keys.type_into("What support is in place?", "A pastoral support plan.")
    keys.activate("Continue")
    # The error summary has focus; its link takes focus to the question's first option.
    assert site.error_summary().count() == 1
    keys.tab_to(text="Select what you would like advice about")
    keys.page.keyboard.press("Enter")
    assert keys.focused()["id"] == "id_topics", keys.focused()
    keys.page.keyboard.press("Space")  # tick the first option
    assert keys.page.locator("#id_topics").is_checked()
    keys.activate("Continue")

    # Yes/No questions: Tab into each radio group, Space chooses Yes; arrows move within it.
    for _ in range(2):
        keys.page.keyboard.press("Tab")
        while keys.page.evaluate("document.activeElement.type") != "radio":
            keys.page.keyboard.press("Tab")
        keys.page.keyboard.press("ArrowDown")  # to No, chosen ...
        keys.page.keyboard.press("ArrowUp")  # ... and back to Yes
        assert keys.page.evaluate("document.activeElement.value") == "yes"
    keys.tab_to(text="Continue")
    keys.press_and_load("Enter")
    assert keys.heading() == "Check your answers before sending", site.describe()
    keys.activate("Send request")
    reference = keys.page.locator(".govuk-panel__body strong").inner_text()
    keys.activate("Sign out")

    # The exclusion adviser accepts it, with a note, from the submission page.
    site.goto("/sign-in/")
    keys.type_into("Email address", adviser.email)
    keys.type_into("Password", DEMO_PASSWORD)
    keys.press_and_load("Enter")
    assert keys.heading() == "Enter your security code", site.describe()  # authority: 2FA
    keys.type_into("Security code", code_for(adviser.email))
    keys.press_and_load("Enter")
    assert keys.heading() == adviser.home_heading, site.describe()
    site.goto(f"/dfd/submissions/{reference}/")
    keys.tab_to(element_id="id_note")
    keys.page.keyboard.type("Adviser to call the school.")
    keys.tab_to(text="Accept into a case")  # advice becomes a case (casework)
    keys.page.keyboard.press("Shift+Tab")  # back to the note and forward again
    keys.page.keyboard.press("Tab")
    assert keys.focused()["text"] == "Accept into a case"
    keys.press_and_load("Enter")
    assert Submission.objects.get(reference=reference).status == "triaged"


def test_focus_after_add_another_and_remove(site: Site, world) -> None:  # noqa: F811
    """WCAG 2.4.3: Add another lands on the new item's first question, Remove on the list."""
    keys = Keyboard(site)
    head = ACCOUNTS[Role.HEADTEACHER]
    site.goto("/sign-in/")
    keys.type_into("Email address", head.email)
    keys.type_into("Password", DEMO_PASSWORD)
    keys.press_and_load("Enter")
    site.goto("/dfd/attendance-or-sickness-return/")
    keys.activate("Start now")
    keys.activate("Continue")  # past the pupils the register suggests
    assert keys.heading() == "Pupils in this return", site.describe()
    keys.activate("Add another pupil")
    assert keys.focused()["id"] == "id_pupils-1-upn", keys.focused()
    keys.activate("Remove Pupil 2")
    assert keys.focused()["id"] == "id_pupils-heading", keys.focused()
