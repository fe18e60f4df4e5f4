"""Emails about a submission: to the receiving teams' mailboxes and to the sender.

Stored in the outbox (`kpas.base.outbox`) inside the submission's transaction, so a
rolled-back submission leaves no email and nothing leaves from the web request; the
outbox's named task sends each one once. They carry the reference, the form and the school,
and a link: never the pupil's name or the answers, since a mailbox or a mistyped address
may reach the wrong person.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from kpas.base.outbox import email_enqueue
from referrals import events
from referrals.models import Submission
from referrals.status_emails import email_context

TEAM_PURPOSE = "dfd.team"
RECEIPT_PURPOSE = "dfd.receipt"


def submission_emails_enqueue(*, submission: Submission, base_url: str) -> None:
    """The team notification and the sender's receipt, stored in the caller's transaction
    (one per submission and purpose: the keys make a second call harmless)."""
    context = email_context(submission, base_url)
    mailboxes = [
        team.mailbox
        for team in [submission.team, *submission.copied_teams.all()]
        if team is not None and team.mailbox
    ]
    emails = []
    if mailboxes:
        emails.append(
            (
                f"submission:{submission.pk}:team",
                TEAM_PURPOSE,
                f"New {submission.pathway_title.lower()}: {submission.reference}",
                render_to_string("referrals/email/team.txt", context),
                mailboxes,
                "team mailbox",
            )
        )
    if submission.submitter_email:
        emails.append(
            (
                f"submission:{submission.pk}:receipt",
                RECEIPT_PURPOSE,
                f"We have received your form: {submission.reference}",
                render_to_string("referrals/email/receipt.txt", context),
                [submission.submitter_email],
                "receipt",
            )
        )
    for key, purpose, subject, body, to, label in emails:
        email = email_enqueue(key=key, purpose=purpose, to=to, subject=subject, body=body)
        events.email_queued_event(submission, to=list(email.to), purpose=label)
