"""Page objects for the browser journeys, and the accessibility check every page gets.

Tests act through `Site`: each way of loading a page (goto, submitting a form, following a
link) waits for the new page, runs axe-core on it and measures its width at 320 and 640 CSS px
(reflow, WCAG 1.4.10), so no page escapes the check.
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
# Reflow (WCAG 1.4.10): a 320 CSS px viewport, and a 1280 px screen at 200 % zoom (640 CSS px).
REFLOW_WIDTHS = (320, 640)
REFLOW_HEIGHT = 640


class AccessibilityError(AssertionError):
    pass


# The widest elements that stick out past the viewport, to say what to fix.
_OVERFLOWING = """width => Array.from(document.querySelectorAll('body *'))
  .filter(el => el.getBoundingClientRect().right > width + 1)
  .filter(el => !el.parentElement.closest('.kpas-table-container'))
  .slice(-3)
  .map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).trim()
    .split(/\\s+/).join('.') : '') + ' ' + Math.round(el.getBoundingClientRect().right))"""


_OPEN_DETAILS = """() => Array.from(document.querySelectorAll('details'))
  .map((d, i) => [d, i]).filter(([d]) => !d.open).map(([d, i]) => { d.open = true; return i; })"""
_CLOSE_DETAILS = """closed => { const all = document.querySelectorAll('details');
  closed.forEach(i => { all[i].open = false; }); }"""


def page_widths(page: Page) -> dict[int, tuple[int, list[str]]]:
    """The whole page's width (scrollWidth) at each reflow viewport, with what sticks out.

    The viewport is put back afterwards."""
    original = page.viewport_size
    widths: dict[int, tuple[int, list[str]]] = {}
    # What a disclosure (<details>) hides must reflow too once opened: open each closed one
    # for the measurement and close it again afterwards.
    opened = page.evaluate(_OPEN_DETAILS)
    try:
        for width in REFLOW_WIDTHS:
            page.set_viewport_size({"width": width, "height": REFLOW_HEIGHT})
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            culprits = page.evaluate(_OVERFLOWING, width) if scroll_width > width else []
            widths[width] = (scroll_width, culprits)
    finally:
        page.evaluate(_CLOSE_DETAILS, opened)
        if original:
            page.set_viewport_size(original)
    return widths


def reflow_failures(url: str, widths: dict[int, tuple[int, list[str]]]) -> list[str]:
    return [
        f"{url} is {scroll_width} px wide at a {width} px viewport: {', '.join(culprits)}"
        for width, (scroll_width, culprits) in widths.items()
        if scroll_width > width
    ]


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
        # A crawl collects every page too wide to reflow and reports them together.
        self.collect_reflow_failures = False
        self.reflow_failures: list[str] = []
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
        failures = reflow_failures(page.url, page_widths(page))
        self.reflow_failures.extend(failures)
        if failures and not self.collect_reflow_failures:
            raise AccessibilityError("\n".join(failures))

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
        """Email and password; then, for an account with an authenticator app, its code."""
        self.page.get_by_label("Email address").fill(email)
        self.page.get_by_label("Password", exact=True).fill(password)
        response = self.site.click_and_load(self.page.get_by_role("button", name="Sign in"))
        if self.site.heading == CodeStepPage.heading:
            return CodeStepPage(self.site).enter_code_for(email)
        if self.site.heading == CodeStepPage.set_up_heading:
            return CodeStepPage(self.site).set_up_app()
        return response

    def forgotten_password(self) -> None:
        self.site.click_and_load(self.page.get_by_role("link", name="Forgotten your password?"))


class CodeStepPage:
    """The second sign-in step: the 6-digit code from the account's authenticator app.

    The test types the code the account's real device shows now (computed from its key, as
    the app would), so the two-factor check runs in every browser journey."""

    heading = "Enter your security code"
    set_up_heading = "Set up your authenticator app"

    def __init__(self, site: Site) -> None:
        self.site = site
        self.page = site.page

    def enter_code_for(self, email: str) -> Response | None:
        self.page.get_by_label("Security code").fill(code_for(email))
        return self.site.click_and_load(self.page.get_by_role("button", name="Continue"))

    def set_up_app(self) -> Response | None:
        """Type the key the set-up page shows into an 'app' and enter the code it gives."""
        secret = self.page.locator("#two-factor-secret").inner_text()
        self.page.get_by_label("Security code").fill(code_from_secret(secret))
        return self.site.click_and_load(self.page.get_by_role("button", name="Continue"))


def code_for(email: str) -> str:
    """The code the account's confirmed device shows now (a fresh one if just used)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.two_factor import code_to_type

    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    return code_to_type(device)


def code_from_secret(secret: str) -> str:
    """What an authenticator app shows now for a key typed in from the set-up page."""
    import base64

    from django_otp.oath import totp

    key = base64.b32decode(
        secret.replace(" ", "").upper() + "=" * (-len(secret.replace(" ", "")) % 8)
    )
    return f"{totp(key):06d}"
