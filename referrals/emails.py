"""Emails about a submission: to the receiving teams' mailboxes and to the sender.

Sent after the submission is committed (never for a rolled-back one). They carry the
reference, the form and the school, and a link: never the pupil's name or the answers,
since a mailbox or a mistyped address may reach the wrong person.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from referrals import events
from referrals.models import Submission

logger = logging.getLogger(__name__)


def _context(submission: Submission, base_url: str) -> dict[str, object]:
    return {
        "submission": submission,
        "pathway_title": submission.pathway_title,
        "school": submission.school,
        "service_name": settings.SERVICE_NAME,
        "authority_name": settings.AUTHORITY_NAME,
        "detail_url": base_url.rstrip("/")
        + reverse("referrals:submission", args=[submission.reference]),
        "has_account": submission.submitter_id is not None,
    }


def submission_emails_send(*, submission_id: int, base_url: str) -> None:
    """The team notification and the sender's receipt. Called on commit."""
    submission = Submission.objects.select_related("school", "team").get(pk=submission_id)
    context = _context(submission, base_url)
    mailboxes = [
        team.mailbox
        for team in [submission.team, *submission.copied_teams.all()]
        if team is not None and team.mailbox
    ]
    sends = []
    if mailboxes:
        sends.append(
            (
                f"New {submission.pathway_title.lower()}: {submission.reference}",
                render_to_string("referrals/email/team.txt", context),
                mailboxes,
                "team mailbox",
            )
        )
    if submission.submitter_email:
        sends.append(
            (
                f"We have received your form: {submission.reference}",
                render_to_string("referrals/email/receipt.txt", context),
                [submission.submitter_email],
                "receipt",
            )
        )
    for subject, body, to, purpose in sends:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
        except Exception:  # the submission stands; the failure is logged for operators
            logger.exception("Could not send the %s email for %s", purpose, submission.reference)
            continue
        events.email_sent_event(submission, to=to, purpose=purpose)
