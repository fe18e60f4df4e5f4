"""Emails about an officer's work on a submission: to the school (accepted, allocated, a
question, closed with its outcome; no-account senders at the address they gave) and to an
officer given the work. Stored in the outbox in the caller's transaction, keyed by the
timeline event that caused them, so a retry never doubles one. Like the receipt, they carry
the reference and a link, never the pupil's name."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from kpas.base.models import User
from kpas.base.outbox import email_enqueue
from referrals import events
from referrals.models import Submission, SubmissionEvent

STATUS_PURPOSE = "dfd.status"
ALLOCATED_PURPOSE = "dfd.allocated"

SUBJECTS = {
    "accepted": "Your form has been accepted: {ref}",
    "allocated": "An officer is working on your form: {ref}",
    "question": "A question about your form: {ref}",
    "closed": "Your form has been closed: {ref}",
}


def email_context(submission: Submission, base_url: str, **extra: object) -> dict[str, object]:
    """What every email about a submission may say: its reference, form, school and link;
    never the pupil's name or the answers."""
    return {
        "submission": submission,
        "pathway_title": submission.pathway_title,
        "school": submission.school,
        "service_name": settings.SERVICE_NAME,
        "authority_name": settings.AUTHORITY_NAME,
        "detail_url": base_url.rstrip("/")
        + reverse("referrals:submission", args=[submission.reference]),
        "has_account": submission.submitter_id is not None,
        **extra,
    }


def school_status_email(
    *, submission: Submission, what: str, event: SubmissionEvent, base_url: str = ""
) -> None:
    """Tell the sender (with or without an account) what happened to their form."""
    if not submission.submitter_email:
        return
    body = render_to_string(
        "referrals/email/status.txt",
        email_context(submission, base_url, what=what, message=event.message),
    )
    email = email_enqueue(
        key=f"submission:{submission.pk}:{what}:{event.pk}",
        purpose=STATUS_PURPOSE,
        to=[submission.submitter_email],
        subject=SUBJECTS[what].format(ref=submission.reference),
        body=body,
    )
    events.email_queued_event(submission, to=list(email.to), purpose=what)


def officer_allocated_email(
    *,
    submission: Submission,
    officer: User,
    event: SubmissionEvent,
    base_url: str = "",
    answered: bool = False,
) -> None:
    """Tell an officer work was allocated to them (or the school answered their question)."""
    context = email_context(submission, base_url, officer=officer, answered=answered)
    body = render_to_string("referrals/email/allocated.txt", context)
    email_enqueue(
        key=f"submission:{submission.pk}:officer:{event.pk}",
        purpose=ALLOCATED_PURPOSE,
        to=[officer.email],
        subject=f"{'The school answered' if answered else 'Allocated to you'}: "
        f"{submission.reference}",
        body=body,
    )
