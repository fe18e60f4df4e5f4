"""Forms sent without an account reveal nothing the authority holds about a child (issue 10
item 2; DOMAIN §7 "with or without an account"; UK GDPR art. 5(1)(f)). The sender's answers
are checked as usual; the checks against the authority's records (the register, earlier
submissions) are made by the authority after the form is sent, and the sender sees the same
neutral wording whatever the records hold."""

from __future__ import annotations

from typing import Any

import pytest

from referrals import errors, services
from referrals.context import context_for
from referrals.engine import evaluate_requirements
from referrals.engine.definitions import Audience, Outcome
from referrals.models import Submission
from referrals.pathways import PATHWAYS, all_pathways
from referrals.rules import Status

from .conftest import TODAY, World, valid_answers

pytestmark = pytest.mark.django_db

CME = "child-missing-education"
DELETION = "deletion-from-admission-register"
EXCLUSION = "suspension-or-exclusion"
NO_ACCOUNT = [p.slug for p in all_pathways() if Audience.ANONYMOUS in p.audiences]


def _as_sent_without_account(world: World, slug: str, **changes: Any) -> dict[str, Any]:
    answers = {
        **valid_answers(slug, world),
        "referrer_name": "A Person",
        "referrer_role": "Office manager",
        "referrer_email": "office@example.test",
        "school_urn": world.school.urn,
        **changes,
    }
    return {k: v for k, v in answers.items() if v is not ...}


def _seen_by_sender(world: World, slug: str, answers: dict[str, Any]) -> list[tuple[str, str, str]]:
    draft = Submission(pathway=slug, answers=answers, school=world.school)
    ctx = context_for(draft, user=None, today=TODAY)
    return [
        (r.requirement.id, r.outcome, r.detail) for r in evaluate_requirements(PATHWAYS[slug], ctx)
    ]


def _earlier_forms_about_the_pupil(world: World) -> None:
    for slug in (CME, EXCLUSION):
        services.submission_create(
            actor=world.head,
            pathway=PATHWAYS[slug],
            answers=valid_answers(slug, world),
            today=TODAY,
        )


def test_the_deletion_form_does_not_tell_anyone_whether_a_cme_notification_exists(world):  # type: ignore[no-untyped-def]
    answers = _as_sent_without_account(world, DELETION, ground="1g", new_school=...)
    before = _seen_by_sender(world, DELETION, answers)
    _earlier_forms_about_the_pupil(world)
    after = _seen_by_sender(world, DELETION, answers)
    assert before == after
    cme_first = {rid: (outcome, detail) for rid, outcome, detail in after}["cme-first"]
    assert cme_first == (Outcome.UNKNOWN, errors.CHECKED_AFTER_SENDING)


@pytest.mark.parametrize("slug", NO_ACCOUNT)
def test_no_pathway_shows_a_no_account_sender_the_authoritys_records(world, slug):  # type: ignore[no-untyped-def]
    answers = _as_sent_without_account(world, slug)
    before = _seen_by_sender(world, slug, answers)
    _earlier_forms_about_the_pupil(world)
    assert _seen_by_sender(world, slug, answers) == before


def test_the_authority_checks_its_records_once_the_form_is_sent(world):  # type: ignore[no-untyped-def]
    _earlier_forms_about_the_pupil(world)
    draft = services.submission_start(actor=None, pathway=PATHWAYS[DELETION])
    draft.answers = _as_sent_without_account(world, DELETION, ground="1g", new_school=...)
    draft.school = world.school
    draft.save()
    try:
        sent = services.submission_submit(actor=None, submission=draft, today=TODAY)
    except services.SubmissionRefused as e:
        raise AssertionError(e.invalid.errors) from e
    assert sent.status == Status.SUBMITTED
    cme_first = {c["id"]: c for c in sent.conditions}["cme-first"]
    assert cme_first["outcome"] == "met"  # for the officer: the CME notification was found
