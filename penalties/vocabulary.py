"""The penalty notices' vocabularies: cases, statuses, withdrawal grounds, delivery methods,
the escalation window's readings and the decision's stable reason codes (DOMAIN §5; issue 11
item 4). The models' choices and the decision are both built from these."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


# --- vocabularies (the model's choices are built from these) --------------------------------
class Case(StrEnum):
    LEAVE = "leave"  # scenario 1: leave not authorised, G
    UNAUTHORISED = "unauthorised"  # scenario 2: G/N/O/U after a notice to improve
    EXCLUSION = "exclusion"  # scenario 3: public place in the first 5 days of an exclusion
    NOTICE_TO_IMPROVE = "notice_to_improve"  # not a penalty notice: its precondition


PENALTY_CASES: Final = (Case.LEAVE, Case.UNAUTHORISED, Case.EXCLUSION)


class NoticeStatus(StrEnum):
    ISSUED = "issued"  # still in its payment period
    PAID = "paid"
    UNPAID = "unpaid"
    WITHDRAWN = "withdrawn"


class WithdrawnGround(StrEnum):  # DOMAIN §5: withdrawal grounds (money refunded)
    NOT_PROPERLY_ISSUED = "not_properly_issued"
    WRONG_PERSON = "wrong_person"
    MATERIAL_ERROR = "material_error"


class ProsecutionOutcome(StrEnum):  # EA96 s.444 prosecution of an unpaid notice's offence
    CONVICTED = "convicted"  # pleaded or found guilty: the unpaid notice counts (DOMAIN §5)
    ACQUITTED = "acquitted"
    WITHDRAWN = "withdrawn"  # the prosecution withdrawn (not the notice)


class Delivery(StrEnum):
    POST = "post"
    HAND = "hand"


class EscalationWindow(StrEnum):
    CALENDAR = "calendar"  # the 3 years before D (national)
    SCHOOL_YEARS = "school_years"  # Kent's "3 rolling school years"


class Reason(StrEnum):
    """The conditions that can fail, in the order they are reported (issue 11 item 4)."""

    THRESHOLD = "threshold"
    NO_OUTSTANDING_N = "no-outstanding-n"
    COMPULSORY_SCHOOL_AGE = "compulsory-school-age"
    NO_C2 = "no-c2"
    NOT_IN_CARE = "not-in-care"
    STATE_FUNDED = "state-funded"
    ESCALATION_LIMIT = "escalation-limit"
    NOTICE_TO_IMPROVE = "notice-to-improve"
    EXCLUSION = "exclusion"


REASON_ORDER: Final = tuple(Reason)
