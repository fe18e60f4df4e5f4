"""Page objects for the browser journeys, and the accessibility check every page gets.

Tests act through `Site`: each way of loading a page (goto, submitting a form, following a
link) waits for the new page and runs axe-core on it, so no page escapes the check.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Locator, Page, Response

AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"
# WCAG 2.2 AA, which includes the 2.0 and 2.1 A and AA success criteria.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class AccessibilityError(AssertionError):
    pass


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(node['target'])}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


class Site:
    """A browser tab on the service, checking every page it loads."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.loaded: list[str] = []
        self.checked: list[str] = []
        page.on("load", lambda loaded_page: self.loaded.append(loaded_page.url))

    # Loading pages -------------------------------------------------------------------

    def goto(self, path: str) -> Response | None:
        response = self.page.goto(path)
        self.check_accessibility()
        return response

    @contextmanager
    def navigation(self) -> Iterator[Any]:
        """Wrap an action that loads a new page: wait for it, then check it."""
        with self.page.expect_navigation() as navigation:
            yield navigation
        self.page.wait_for_load_state("load")
        self.check_accessibility()

    def click_and_load(self, locator: Locator) -> Response | None:
        with self.navigation() as navigation:
            locator.click()
        return navigation.value

    # Accessibility -------------------------------------------------------------------

    def check_accessibility(self) -> None:
        page = self.page
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE_SCRIPT))
        results = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
            " resultTypes: ['violations']})",
            AXE_TAGS,
        )
        self.checked.append(page.url)
        if results["violations"]:
            raise AccessibilityError(format_violations(page.url, results["violations"]))

    def assert_every_page_checked(self) -> None:
        unchecked = [url for url in self.loaded if url not in self.checked]
        assert not unchecked, f"pages loaded without an accessibility check: {unchecked}"

    # What every page has ---------------------------------------------------------------

    @property
    def heading(self) -> str:
        return self.page.locator("h1").inner_text().strip()

    @property
    def title(self) -> str:
        return self.page.title()

    def navigation_labels(self) -> list[str]:
        links = self.page.locator(
            ".govuk-service-navigation__list a.govuk-service-navigation__link"
        )
        return [label.strip() for label in links.all_inner_texts()]

    def signed_in_user(self) -> str:
        return self.page.locator(".kpas-account__user").inner_text().strip()

    def error_summary(self) -> Locator:
        return self.page.locator(".govuk-error-summary")

    def error_summary_links(self) -> list[tuple[str, str]]:
        links = self.error_summary().locator("a")
        return [
            (links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href") or "")
            for i in range(links.count())
        ]

    def sign_out(self) -> None:
        self.click_and_load(self.page.get_by_role("button", name="Sign out"))

    def describe(self) -> str:
        return json.dumps({"url": self.page.url, "title": self.title})


class SignInPage:
    path = "/sign-in/"

    def __init__(self, site: Site) -> None:
        self.site = site
        self.page = site.page

    def open(self) -> SignInPage:
        self.site.goto(self.path)
        assert self.site.heading == "Sign in", self.site.describe()
        return self

    def sign_in(self, email: str, password: str) -> Response | None:
        self.page.get_by_label("Email address").fill(email)
        self.page.get_by_label("Password", exact=True).fill(password)
        return self.site.click_and_load(self.page.get_by_role("button", name="Sign in"))

    def forgotten_password(self) -> None:
        self.site.click_and_load(self.page.get_by_role("link", name="Forgotten your password?"))
