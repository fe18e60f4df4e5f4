"""Headers and caching (issue 15, item 5): a Content Security Policy without 'unsafe-inline'
on every page, no inline script or style to need it, and Cache-Control: no-store on every
page and API response (static files keep their long cache)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from kpas.base.demo_accounts import DEMO_ACCOUNTS
from kpas.base.models import User

CSP = "Content-Security-Policy"
PAGES_PER_ACCOUNT = 25
# Pages every visitor can open before signing in.
PUBLIC_PAGES = ["/sign-in/", "/password-reset/", "/accessibility/", "/no-such-page/"]


class InlineCode(HTMLParser):
    """Finds what a policy without 'unsafe-inline' would block: inline scripts, <style>
    blocks and style="" attributes, and event-handler attributes (onclick=...)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._script_open = False
        self._script_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if "style" in names:
            self.found.append(f"<{tag} style={names['style']!r}>")
        self.found.extend(f"<{tag} {name}=...>" for name in names if name.startswith("on"))
        if tag == "style" and "nonce" not in names:
            self.found.append("<style> block")
        if tag == "script":
            data_only = (names.get("type") or "").endswith("json")
            self._script_open = not names.get("src") and not data_only and "nonce" not in names
            self._script_text = ""

    def handle_data(self, data: str) -> None:
        if self._script_open:
            self._script_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script_open:
            self.found.append(f"inline <script>{self._script_text.strip()[:60]}")
            self._script_open = False


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def links_on(html: str) -> list[str]:
    return [
        href
        for href in re.findall(r'href="(/[^"#?]*)"', html)
        if not href.startswith(("/static/", "/sign-out", "/admin/logout"))
    ]


def check(response, path: str) -> list[str]:  # type: ignore[no-untyped-def]
    problems = []
    policy = response.get(CSP, "")
    if "text/html" in response.get("Content-Type", ""):
        if not policy:
            problems.append(f"{path}: no {CSP} header")
        if "unsafe-inline" in policy or "unsafe-eval" in policy:
            problems.append(f"{path}: {policy}")
        problems.extend(f"{path}: {found}" for found in inline_code(response.content.decode()))
    if "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"{path}: Cache-Control {response.get('Cache-Control')!r}")
    return problems


def crawl(client: Client, start: list[str], limit: int) -> tuple[list[str], list[str]]:
    seen: list[str] = []
    queue = list(start)
    problems: list[str] = []
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.append(path)
        response = client.get(path)
        problems.extend(check(response, path))
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            queue.extend(link for link in links_on(response.content.decode()) if link not in seen)
    return seen, problems


def test_the_policy_allows_nothing_inline(settings):  # type: ignore[no-untyped-def]
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    for name, sources in directives.items():
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, name
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_public_pages_have_the_policy_and_are_not_stored():
    problems: list[str] = []
    for path in PUBLIC_PAGES:
        problems.extend(check(Client().get(path), path))
    assert problems == []


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=[a.role.value for a in DEMO_ACCOUNTS])
def test_every_page_a_role_reaches_has_the_policy_no_inline_code_and_no_store(demo_world, account):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(User.objects.get(email=account.email))
    start = ["/", "/schools/", "/api/v1/docs/", "/api/v1/schools/"]
    if account.role == "service_admin":
        start += ["/admin/", "/admin/kpas/user/", "/admin/kpas/user/add/"]

    seen, problems = crawl(client, start, PAGES_PER_ACCOUNT)

    assert len(seen) >= 8, seen
    assert problems == []


@pytest.mark.django_db
def test_the_api_docs_page_runs_only_with_the_pages_nonce(client):  # type: ignore[no-untyped-def]
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get("/api/v1/docs/")
    nonce = re.search(r"'nonce-([^']+)'", response[CSP]).group(1)  # type: ignore[union-attr]
    html = response.content.decode()
    assert f'<script nonce="{nonce}">' in html and f'<style nonce="{nonce}">' in html
    # A new nonce on every response.
    assert nonce not in client.get("/api/v1/docs/")[CSP]


@pytest.mark.django_db
def test_api_responses_are_not_stored(client):  # type: ignore[no-untyped-def]
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get("/api/v1/schools/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in client.get("/api/v1/schema/")["Cache-Control"]


def test_static_files_keep_their_cache(client):  # type: ignore[no-untyped-def]
    response = client.get("/static/kpas/service.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
