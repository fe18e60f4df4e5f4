"""The demo's deletion return sent without an account (KSAH §10: schools may use the Digital
Front Door without signing in): ground 1(i), from the second demo school, for the pupil the
returns demo sent a lost-pupil CTF for, before any CME enquiry was completed. The checks
against the authority's records run after sending (issue 10 item 2), so the form is sent and
the nightly off-rolling task raises signal (b). Sent through the same services as the web
form."""

from __future__ import annotations

from datetime import date

from referrals import services
from referrals.models import Submission
from referrals.pathways import PATHWAYS
from schools.models import Pupil, School

DELETION = "deletion-from-admission-register"
NO_ACCOUNT_SENDER = "office@school.example.test"


def demo_deletion_without_account(
    *, school: School | None, pupil: Pupil | None, as_of: date
) -> int:
    """Returns 1 when sent, 0 when there is no such pupil or it was sent already."""
    if (
        school is None
        or pupil is None
        or Submission.objects.filter(pathway=DELETION, pupil_upn=pupil.upn).exists()
    ):
        return 0
    address = ", ".join(p for p in (pupil.address_line_1, pupil.town, pupil.postcode) if p)
    draft = services.submission_start(actor=None, pathway=PATHWAYS[DELETION])
    draft.school = school
    draft.answers = {
        "referrer_name": "Sam Office",
        "referrer_role": "Office manager",
        "referrer_email": NO_ACCOUNT_SENDER,
        "school_urn": school.urn,
        "upn": pupil.upn,
        "pupil_forename": pupil.forename,
        "pupil_surname": pupil.surname,
        "pupil_dob": pupil.date_of_birth.isoformat(),
        "pupil_address": address or "Address not known",
        "pupil_flags": ["none"],
        "ground": "1i",
        "deletion_date": as_of.isoformat(),
        "forwarding_address_known": False,
        "parents": [{"name": f"Parent of {pupil.forename}", "address": address or "Not known"}],
        "emergency_phone": "07700 900777",
    }
    draft.save()
    services.submission_submit(actor=None, submission=draft, today=as_of)
    return 1
