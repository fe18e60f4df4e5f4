"""The Django admin, as a service administrator uses it, passes axe-core at WCAG 2.2 AA and
reflows at 320 px like the service's own pages: the index, every model's list, one record's
change page and each add page. pages.Site checks every page it loads; this collects every
failure and reports them together."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from kpas.base.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from kpas.base.roles import Role

from .pages import AccessibilityError, SignInPage, Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN = next(account for account in DEMO_ACCOUNTS if account.role == Role.SERVICE_ADMIN)
CHANGELIST = re.compile(r"^/admin/\w+/\w+/$")
CHANGE = re.compile(r"^/admin/\w+/\w+/[^/]+/change/$")


def _visit(site: Site, path: str, failures: list[str]) -> None:
    try:
        response = site.goto(path)
    except AccessibilityError as error:
        failures.append(str(error))
        return
    assert response is not None and response.ok, (path, response and response.status)


def _links(site: Site, selector: str, pattern: re.Pattern[str]) -> list[str]:
    hrefs = site.page.eval_on_selector_all(selector, "links => links.map(a => a.href)")
    return list(dict.fromkeys(p for p in (urlsplit(h).path for h in hrefs) if pattern.match(p)))


def test_the_admin_passes_axe_and_reflows(site: Site, demo_accounts) -> None:
    site.collect_reflow_failures = True
    SignInPage(site).open().sign_in(ADMIN.email, DEMO_PASSWORD)
    failures: list[str] = []
    _visit(site, "/admin/", failures)
    changelists = _links(site, "#content-main a[href]", CHANGELIST)
    assert changelists, "the admin index lists no models"
    adds = _links(site, "#content-main a.addlink", re.compile(r"^/admin/\w+/\w+/add/$"))
    for changelist in changelists:
        _visit(site, changelist, failures)
        for change in _links(site, "#result_list a[href]", CHANGE)[:1]:
            _visit(site, change, failures)
    for add in adds:
        _visit(site, add, failures)
    failures.extend(site.reflow_failures)
    assert not failures, "\n".join(failures)


def test_breadcrumb_links_are_underlined(site: Site, demo_accounts) -> None:
    """WCAG 1.4.1: a breadcrumb link is told from the text beside it by more than colour."""
    SignInPage(site).open().sign_in(ADMIN.email, DEMO_PASSWORD)
    site.goto("/admin/")
    changelist = _links(site, "#content-main a[href]", CHANGELIST)[0]
    site.goto(changelist)
    decoration = site.page.locator("div.breadcrumbs a").first.evaluate(
        "a => getComputedStyle(a).textDecorationLine"
    )
    assert decoration == "underline"
