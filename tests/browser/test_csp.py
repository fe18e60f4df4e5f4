"""The Content Security Policy in a real browser (issue 15, item 5): each role browses its
main pages with the policy enforced, and Chromium reports no violation.

This tab does not bypass the policy (the `site` fixture's tabs do, to add axe-core), so it is
not a `Site`: the pages it opens are the ones the other journeys check for accessibility.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from kpas.base.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from kpas.base.roles import Role

from .pages import code_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACCOUNTS = {account.role: account for account in DEMO_ACCOUNTS}
PAGES_PER_ROLE = 12
LISTEN = """document.addEventListener('securitypolicyviolation', (e) => {
  (window.__cspViolations = window.__cspViolations || []).push(`${e.violatedDirective}`
    + ` blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
});"""


@pytest.fixture
def tab(browser, live_server) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(60_000)  # Swagger UI's bundle is large
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.console_messages = []  # type: ignore[attr-defined]
    page.on(
        "console",
        lambda message: page.console_messages.append(message.text),  # type: ignore[attr-defined]
    )
    yield page
    context.close()


def violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    reported = page.evaluate("window.__cspViolations || []")
    console = [text for text in page.console_messages if "Content Security Policy" in text]
    return [f"{page.url}: {v}" for v in [*reported, *console]]


def sign_in(page, account) -> None:  # type: ignore[no-untyped-def]
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(account.email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if page.locator("h1").inner_text().strip() == "Enter your security code":
        page.get_by_label("Security code").fill(code_for(account.email))
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
    assert page.locator("h1").inner_text().strip() == account.home_heading


def crawl(page, start: list[str]) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    found: list[str] = []
    queue = list(start)
    while queue and len(seen) < PAGES_PER_ROLE:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.append(path)
        page.goto(path)
        page.wait_for_load_state("load")
        page.wait_for_timeout(150)  # violations are reported asynchronously
        found.extend(violations(page))
        page.console_messages.clear()
        hrefs = page.eval_on_selector_all(
            "main a[href^='/'], nav a[href^='/']", "as => as.map(a => a.getAttribute('href'))"
        )
        queue.extend(
            h
            for h in hrefs
            if h not in seen
            and not re.match(r"^/(static|sign-out|admin/logout)", h)
            and "download" not in h
        )
    return seen, found


def test_signed_out_pages_report_no_violation(tab, demo_accounts):  # type: ignore[no-untyped-def]
    seen, found = crawl(tab, ["/sign-in/", "/password-reset/", "/accessibility/", "/dfd/"])
    assert len(seen) >= 4
    assert found == []


@pytest.mark.parametrize(
    "role",
    [Role.HEADTEACHER, Role.ATTENDANCE_OFFICER, Role.COURTS_TEAM, Role.SERVICE_ADMIN],
    ids=lambda role: role.value,
)
def test_each_roles_main_pages_report_no_violation(tab, demo_accounts, role):  # type: ignore[no-untyped-def]
    account = ACCOUNTS[role]
    sign_in(tab, account)
    start = ["/", "/schools/", "/dfd/", "/api/v1/docs/"]
    if role == Role.SERVICE_ADMIN:
        start += ["/admin/", "/admin/kpas/user/"]

    seen, found = crawl(tab, start)

    assert len(seen) >= 6, seen
    assert found == []
    # The policy was really enforced: an inline script is refused and reported.
    tab.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = 1'; document.body.append(s); }"
    )
    tab.wait_for_timeout(150)
    assert tab.evaluate("window.__ran === undefined")
    assert any("script-src" in v for v in violations(tab))
