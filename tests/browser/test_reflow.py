"""Reflow (WCAG 1.4.10) on every page type each role reaches: a crawl per role follows the
links from the home page, one page per type (a path with its codes and numbers taken out),
and measures document.documentElement.scrollWidth at 320 CSS px and at 640 CSS px (a 1280 px
screen at 200 % zoom). A page wider than its viewport scrolls sideways as a whole: a failure.

Every page is also axe-checked (pages.Site does both on each page it loads). The Digital Front
Door's steps and check pages are reached by test_dfd_pathways.py, whose pages get the same
measurement. Set KPAS_SCREENSHOT_DIR to keep a 320 px screenshot of each page type.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kpas.base.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SCHOOL_URN

from .pages import SignInPage, Site, page_widths, reflow_failures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_PAGES_PER_ROLE = 40
# Pages not linked from the home page for every role: tried too; refused (403/404) is fine.
ALSO_TRIED = (
    f"/schools/{DEMO_SCHOOL_URN}/imports/",
    f"/schools/{DEMO_SCHOOL_URN}/imports/upload/",
    "/imports/",
    "/imports/upload/",
)
# Not pages of the service's own design, or not pages at all.
SKIPPED = re.compile(r"^/(api/|admin/|static/|media/|sign-out/)|/download/?$|\.(csv|pdf|xlsx)$")
_CODES = re.compile(r"/[A-Z]\d{12}/|/\d+/|/[0-9a-f-]{36}/|/DFD-[\d-]+/")


def page_type(path: str) -> str:
    """/schools/118001/pupils/A123.../ and every other pupil's record are one page type."""
    previous = None
    while previous != path:
        previous, path = path, _CODES.sub("/*/", path)
    return path


def screenshot(site: Site, name: str) -> None:
    folder = os.environ.get("KPAS_SCREENSHOT_DIR")
    if not folder:
        return
    page = site.page
    original = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower().replace("*", "x")).strip("-") or "home"
    page.screenshot(path=str(Path(folder) / f"{slug}.png"), full_page=True)
    if original:
        page.set_viewport_size(original)


def crawl(site: Site) -> dict[str, str]:
    """Visit one page of each type reachable by links from the home page; {type: url}."""
    origin = urlsplit(site.page.url)
    seen: dict[str, str] = {}
    queue = ["/", *ALSO_TRIED]
    while queue and len(seen) < MAX_PAGES_PER_ROLE:
        path = queue.pop(0)
        kind = page_type(urlsplit(path).path)
        if kind in seen:
            continue
        response = site.goto(path)  # axe and the reflow measurement run on every load
        seen[kind] = path
        assert response is not None, path
        if path in ALSO_TRIED and response.status in (403, 404):
            continue
        assert response.ok, (path, response.status)
        screenshot(site, f"{kind}")
        hrefs = site.page.eval_on_selector_all(
            "main a[href]:not([download]), header a[href]", "links => links.map(a => a.href)"
        )
        for href in hrefs:
            url = urlsplit(href)
            if url.netloc != origin.netloc or SKIPPED.search(url.path):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if page_type(url.path) not in seen and target not in queue:
                queue.append(target)
    return seen


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda account: account.role.value)
def test_no_page_scrolls_sideways_at_320_px(site: Site, demo_accounts, account) -> None:
    site.collect_reflow_failures = True
    SignInPage(site).open().sign_in(account.email, DEMO_PASSWORD)
    visited = crawl(site)
    assert len(visited) > 1, visited  # the home page and what it links to
    assert not site.reflow_failures, "\n".join(site.reflow_failures)


def test_the_measurement_fails_a_page_wider_than_the_viewport(site: Site, demo_accounts) -> None:
    """The check itself can fail: a page with a 600 px wide block is too wide at 320 px."""
    site.goto("/sign-in/")
    assert not site.reflow_failures
    site.page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        " '<div style=\"width: 600px\">wide</div>')"
    )
    failures = reflow_failures(site.page.url, page_widths(site.page))
    assert len(failures) == 1 and "at a 320 px viewport" in failures[0], failures
