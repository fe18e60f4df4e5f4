"""What the form pages say (issue 10 item 16): a refused form says why at the top in the
GOV.UK error summary; a signed-in user is not told to sign in; pages cite the handbook and
the regulations, never our internal design notes."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from referrals import services
from referrals.pathways import PATHWAYS
from tests.factories.register import set_marks

from .conftest import valid_answers
from .test_views import signed_in

pytestmark = pytest.mark.django_db


def _draft(world, slug):  # type: ignore[no-untyped-def]
    draft = services.submission_start(actor=world.head, pathway=PATHWAYS[slug])
    draft.answers = {**draft.answers, **valid_answers(slug, world)}
    draft.pupil, draft.school = world.pupil, world.school
    draft.steps_done = [step.slug for step in PATHWAYS[slug].steps]
    draft.save()
    return draft


@pytest.mark.parametrize("slug", list(PATHWAYS))
def test_pages_cite_the_handbook_not_the_design_notes(world, slug):  # type: ignore[no-untyped-def]
    user = world.ao if slug == "professional-request" else world.head
    page = signed_in(user).get(reverse("referrals:start", args=[slug])).content.decode()
    assert "DOMAIN" not in page and "dfd.md" not in page


def test_the_check_page_cites_no_design_notes(world):  # type: ignore[no-untyped-def]
    draft = _draft(world, "penalty-notice")
    url = reverse("referrals:check", args=["penalty-notice", draft.token])
    page = signed_in(world.head).get(url).content.decode()
    assert "KSAH §15 iv" in page and "DOMAIN" not in page


def test_a_blocked_form_says_why_at_the_top(world):  # type: ignore[no-untyped-def]
    set_marks(world.school, world.pupil, [(date(2025, 11, 24), 0, "C2")])
    draft = _draft(world, "penalty-notice")
    url = reverse("referrals:check", args=["penalty-notice", draft.token])
    page = signed_in(world.head).get(url).content.decode()
    summary = page.index("govuk-error-summary")
    assert summary < page.index("<h1")
    failure = PATHWAYS["penalty-notice"].requirements
    no_c2 = next(r for r in failure if r.id == "no-c2")
    assert f'<a href="#condition-no-c2">{no_c2.failure}</a>' in page


def test_a_signed_in_user_is_not_told_to_sign_in(world):  # type: ignore[no-untyped-def]
    page = signed_in(world.head).get(reverse("referrals:start", args=["penalty-notice"]))
    text = page.content.decode()
    assert "need to be signed in" not in text and ">Sign in<" not in text
