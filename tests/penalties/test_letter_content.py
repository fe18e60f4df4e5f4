"""A penalty notice letter says everything a notice must (2007 regs reg 9 as amended by
SI 2024/210; DOMAIN §5; KSAH §15 iv): the grounds, the threshold sessions, the amounts and
their periods, how to pay (online, by telephone, by post), the consequences of not paying and
whom to contact. The payment and contact details are the LA settings, read in one place
(penalties.letters.payment_details): overridden here, the letter prints the overrides."""

from __future__ import annotations

import os

import pytest

from kpas.base.models import Document
from penalties import services
from penalties.letters import NOTICE_LETTER
from tests.referrals.conftest import TODAY

from .test_workspace import _pdf_text, _request, _two_parents

pytestmark = pytest.mark.django_db

LA = {
    "PENALTY_PAYMENT_URL": "https://pay.example.gov.uk/pn",
    "PENALTY_PAYMENT_PHONE": "0300 111 2222",
    "PENALTY_PAYMENT_POST": "a cheque payable to Example Council to PO Box 9, Exampleton EX1 1XX",
    "PENALTY_CONTACT_NAME": "Example Courts Team",
    "PENALTY_CONTACT_PHONE": "0300 333 4444",
    "PENALTY_CONTACT_EMAIL": "courts@example.gov.uk",
    "PENALTY_CONTACT_ADDRESS": "County Hall, Exampleton EX1 2YY",
}


def test_the_letter_holds_what_the_regulations_require_from_the_la_settings(world, settings):  # type: ignore[no-untyped-def]
    for name, value in LA.items():
        setattr(settings, name, value)
    _two_parents(world)
    alex_row, _ = _request(world).parents.all()
    notice = services.request_parent_issue(actor=world.courts, request_parent=alex_row, on=TODAY)
    letter = Document.objects.get(key=f"{NOTICE_LETTER}:{notice.reference}")
    text = _pdf_text(letter)
    if os.environ.get("KPAS_LETTER_PDF"):  # to look at it: pdftoppm -png -r 60 FILE out
        letter.refresh_from_db()
        with open(os.environ["KPAS_LETTER_PDF"], "wb") as out:
            out.write(bytes(letter.content))
    required = {
        "grounds": (
            "The grounds for this notice",
            "leave of absence that the school did not authorise (code G)",
            "section 444(1) of the Education Act 1996",
        ),
        "threshold sessions": ("Monday 17 November 2025 Morning G", "Friday 21 November 2025"),
        "amounts and periods": (
            "£80 if paid within 21 days of receipt: by 22 December 2025",
            "£160 if paid after that and within 28 days of receipt: by 29 December 2025",
            "Date of receipt 2 December 2025",
        ),
        "how to pay": (
            f"Online {LA['PENALTY_PAYMENT_URL']}",
            f"By telephone {LA['PENALTY_PAYMENT_PHONE']}",
            f"By post Send {LA['PENALTY_PAYMENT_POST']}",
            f"Quote the reference {notice.reference}",
        ),
        "consequences of not paying": (
            "If you do not pay",
            "must either prosecute you for the offence",
            "or withdraw this notice",
            "Not paying is not itself an offence",
        ),
        "whom to contact": (
            f"contact the {LA['PENALTY_CONTACT_NAME']}",
            f"Telephone {LA['PENALTY_CONTACT_PHONE']}",
            f"Email {LA['PENALTY_CONTACT_EMAIL']}",
            f"Write to {LA['PENALTY_CONTACT_NAME']}, {LA['PENALTY_CONTACT_ADDRESS']}",
        ),
    }
    for part, phrases in required.items():
        for phrase in phrases:
            assert phrase in text, f"{part}: {phrase!r} not in the letter"
