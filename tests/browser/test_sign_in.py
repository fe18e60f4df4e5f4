"""Signing in and out, lockout, password reset and error pages, in a real browser."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from kpas.base.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from kpas.site.forms import INVALID_SIGN_IN

from .pages import SignInPage, Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERVICE_NAME = settings.SERVICE_NAME
# django-axes 8 answers a locked-out sign-in with 429 Too Many Requests (its default);
# AXES_HTTP_RESPONSE_CODE = 403 gives the older behaviour. Either refuses the sign-in.
LOCKED_OUT_STATUSES = {403, 429}
HEAD = DEMO_ACCOUNTS[0]  # the headteacher
NEW_PASSWORD = "a-new-password-for-the-demo"
TITLE_SEPARATOR = "\N{EN DASH}"  # page titles read "<page> <en dash> <service name>"


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=[a.role.value for a in DEMO_ACCOUNTS])
def test_each_demo_account_signs_in_to_its_home_page_and_out(site: Site, demo_accounts, account):
    response = SignInPage(site).open().sign_in(account.email, DEMO_PASSWORD)

    assert response is not None and response.ok
    assert site.heading == account.home_heading
    assert site.title == f"{account.home_heading} {TITLE_SEPARATOR} {SERVICE_NAME}"
    labels = site.navigation_labels()
    assert labels[0] == "Home"
    assert account.full_name in site.signed_in_user()
    assert account.role.label in site.signed_in_user()

    # The second navigation item lists the schools this role covers.
    site.click_and_load(site.page.get_by_role("link", name=labels[1], exact=True))
    assert site.page.locator(".govuk-service-navigation__item--active").inner_text() == labels[1]
    assert site.page.url.endswith("/schools/")

    site.sign_out()
    assert site.heading == "Sign in"
    assert site.navigation_labels() == []
    site.goto("/")
    assert site.heading == "Sign in", "home must need signing in again after signing out"


def test_wrong_password_shows_the_error_summary(site: Site, demo_accounts):
    sign_in = SignInPage(site).open()
    response = sign_in.sign_in(HEAD.email, "not-the-password")

    assert response is not None and response.status == 200
    assert site.title.startswith("Error: Sign in")
    assert site.error_summary().get_by_role("heading").inner_text() == "There is a problem"
    assert site.error_summary_links() == [(INVALID_SIGN_IN, "#id_username")]
    # The summary takes focus so screen readers announce it.
    assert site.page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    # The email address is kept; the password is not.
    assert site.page.get_by_label("Email address").input_value() == HEAD.email
    assert site.page.get_by_label("Password", exact=True).input_value() == ""


def test_empty_form_errors_link_to_each_field(site: Site, demo_accounts):
    SignInPage(site).open()
    site.click_and_load(site.page.get_by_role("button", name="Sign in"))

    assert site.error_summary_links() == [
        ("Enter your email address", "#id_username"),
        ("Enter your password", "#id_password"),
    ]
    site.error_summary().get_by_role("link", name="Enter your password").click()
    assert site.page.evaluate("document.activeElement.id") == "id_password"


def test_five_wrong_passwords_lock_the_account(site: Site, demo_accounts):
    sign_in = SignInPage(site).open()
    for _attempt in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        response = sign_in.sign_in(HEAD.email, "not-the-password")
        assert response is not None and response.status == 200
        assert site.heading == "Sign in"

    response = sign_in.sign_in(HEAD.email, "not-the-password")
    assert response is not None and response.status in LOCKED_OUT_STATUSES
    assert site.heading == "Your account is locked"
    assert site.page.get_by_role("link", name="reset your password").is_visible()

    # Even the right password is refused until the cool-off ends.
    sign_in.open()
    response = sign_in.sign_in(HEAD.email, DEMO_PASSWORD)
    assert response is not None and response.status in LOCKED_OUT_STATUSES
    assert site.heading == "Your account is locked"


def test_unknown_address_shows_the_not_found_page(site: Site, demo_accounts):
    response = site.goto("/no-such-page/")

    assert response is not None and response.status == 404
    assert site.heading == "Page not found"
    assert site.title == f"Page not found {TITLE_SEPARATOR} {SERVICE_NAME}"


def test_password_reset_sends_a_link_that_sets_a_new_password(
    site: Site, demo_accounts, mailoutbox
):
    sign_in = SignInPage(site).open()
    sign_in.forgotten_password()
    assert site.heading == "Reset your password"

    site.page.get_by_label("Email address").fill(HEAD.email)
    site.click_and_load(site.page.get_by_role("button", name="Send the link"))
    assert site.heading == "Check your email"

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [HEAD.email]
    assert email.subject == f"Reset your password for {SERVICE_NAME}"
    match = re.search(r"https?://\S+/password-reset/\S+/\S+/", email.body)
    assert match, email.body
    link = match.group(0)

    site.goto(link)
    assert site.heading == "Choose a new password"
    site.page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    site.page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    site.click_and_load(site.page.get_by_role("button", name="Change password"))
    assert site.heading == "Your password has been changed"

    site.click_and_load(site.page.get_by_role("button", name="Sign in"))
    sign_in.sign_in(HEAD.email, NEW_PASSWORD)
    assert site.heading == HEAD.home_heading
    site.sign_out()

    # The link works once.
    site.goto(link)
    assert site.heading == "This link has expired or has already been used"


def test_password_reset_for_an_unknown_address_says_the_same(site: Site, demo_accounts, mailoutbox):
    site.goto("/password-reset/")
    site.page.get_by_label("Email address").fill("nobody@example.com")
    site.click_and_load(site.page.get_by_role("button", name="Send the link"))

    assert site.heading == "Check your email"
    assert mailoutbox == []
