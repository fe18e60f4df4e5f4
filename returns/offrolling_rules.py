"""The off-rolling signals' rules (reg 9, reg 13; KSAH §22-24; DOMAIN §9, §15): pure
functions over dates, grounds and calendars; no ORM, no clock. Each returns the reason the
signal is raised (its wording names the evidence) or None when it is not.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Final

from schools.calendar import SchoolCalendar
from schools.school_age import is_compulsory_school_age

# --- kinds ---------------------------------------------------------------------------------
NO_VALID_GROUND: Final = "no_valid_ground"
CME_INCOMPLETE: Final = "cme_incomplete"
SPECIAL_NO_AGREEMENT: Final = "special_no_agreement"
STOPPED_APPEARING: Final = "stopped_appearing"
LATE_LOST_CTF: Final = "late_lost_ctf"

# --- reg 9's grounds (DOMAIN §9; KSAH appendix) ----------------------------------------------
COMPULSORY_GROUNDS: Final = frozenset(f"1{c}" for c in "abcdefghijklmno")
NOT_COMPULSORY_GROUNDS: Final = frozenset(f"3{c}" for c in "abcde")
CME_GROUNDS: Final = frozenset({"1g", "1h", "1i"})  # KSAH §22-23; DOMAIN §9
FORWARDING_ADDRESS_WAIVES: Final = frozenset({"1g"})  # DOMAIN §9: 1(g) only
EHE_GROUND: Final = "1f"
# KSAH §22: "Schools are not required to notify KCC of pupils who leave school at standard
# transition points such as Year 2, 6 or 11."
TRANSITION_YEAR_GROUPS: Final = frozenset({"2", "6", "11"})
TRANSITION_MONTHS: Final = frozenset({7, 8})  # leaving at the end of the school year
# [LA setting] RETURNS_STOPPED_APPEARING_SCHOOL_DAYS: Kent reading, the CME referral window
# (KSAH §22: within 10 school days of the last time the child attended).
STOPPED_APPEARING_SCHOOL_DAYS: Final = 10
# Education (Pupil Information) (England) Regulations 2005 reg 9(3) and KSAH §22: the CTF
# (to XXX/XXXX when the next school is unknown) within 15 school days of the pupil leaving.
LOST_CTF_SCHOOL_DAYS: Final = 15


def ground_problem(ground: str, *, dob: date | None, deleted_on: date | None) -> str | None:
    """(a) A deletion return whose ground is not one of reg 9's, or is the wrong group for
    the pupil's age on the day of deletion (1(a)-1(o) compulsory, 3(a)-3(e) not)."""
    ground = (ground or "").strip().lower()
    if ground not in COMPULSORY_GROUNDS | NOT_COMPULSORY_GROUNDS:
        return f"the ground given ({ground or 'none'}) is not one of regulation 9's"
    if dob is None or deleted_on is None:
        return None
    compulsory = is_compulsory_school_age(dob, deleted_on)
    if compulsory != (ground in COMPULSORY_GROUNDS):
        age = "of" if compulsory else "not of"
        return f"ground {ground} does not fit a pupil {age} compulsory school age on that day"
    return None


def is_transition_leaver(year_group: str, left_on: date) -> bool:
    """KSAH §22: a pupil leaving at a standard transition point needs no notification."""
    return year_group.strip().upper().lstrip("Y") in TRANSITION_YEAR_GROUPS and (
        left_on.month in TRANSITION_MONTHS
    )


def unreturned_deletion(
    *,
    dob: date,
    left_on: date,
    year_group: str,
    has_return: bool,
    registered_elsewhere: bool,
) -> str | None:
    """(a) A pupil taken off a school's register (the enrolment ended) with no deletion return
    for that school: deleted without a ground the authority was told of (reg 9, reg 13; KSAH
    §24). Not raised for a pupil registered at another school since (ground 1(a) is evident),
    a pupil not of compulsory school age, or a leaver at a standard transition point."""
    if has_return or registered_elsewhere or is_transition_leaver(year_group, left_on):
        return None
    if not is_compulsory_school_age(dob, left_on):
        return None
    return "taken off roll with no deletion return, so no ground was given"


def cme_enquiries_incomplete(
    ground: str,
    *,
    deleted_on: date | None,
    forwarding_address_known: bool | None,
    complete_on: Sequence[date],
) -> str | None:
    """(b) A deletion under 1(g), 1(h) or 1(i) before the authority confirmed its CME
    enquiries complete (KSAH §22-23; DOMAIN §9). A forwarding address waives the enquiries
    for 1(g) only. `complete_on`: the days the authority confirmed enquiries for the pupil."""
    ground = (ground or "").strip().lower()
    if ground not in CME_GROUNDS or deleted_on is None:
        return None
    if ground in FORWARDING_ADDRESS_WAIVES and forwarding_address_known:
        return None
    if any(day <= deleted_on for day in complete_on):
        return None
    return f"deleted under {ground} before the authority's CME enquiries were complete"


def special_school_without_agreement(
    *,
    special: bool,
    dob: date | None,
    deleted_on: date | None,
    ground: str | None,
    la_agreement: bool | None,
) -> str | None:
    """(c) A compulsory-age pupil deleted from a special school without the authority's
    agreement (KSAH §23, the EHE guidance's paragraph 8.6; DOMAIN §9 under 1(f)). `ground`
    None: seen in the register only, with no deletion return at all."""
    if not special or dob is None or deleted_on is None or la_agreement:
        return None
    if not is_compulsory_school_age(dob, deleted_on):
        return None
    if ground is None:
        return "taken off a special school's roll with no return recording the agreement"
    if ground.strip().lower() == EHE_GROUND:
        return "deleted under 1f from a special school without the authority's agreement"
    return None


def stopped_appearing(
    calendar: SchoolCalendar,
    *,
    last_mark: date,
    school_latest: date,
    school_days: int = STOPPED_APPEARING_SCHOOL_DAYS,
) -> int | None:
    """(d) A pupil still on roll with no marks in the school's register imports for at least
    `school_days` school days while the school's imports go on (its latest mark for anyone):
    the number of school days missing, else None. Counted on the school's calendar."""
    if school_latest <= last_mark:
        return None
    missing = len(calendar.school_days_between(last_mark, school_latest)) - (
        1 if calendar.is_school_day(last_mark) else 0
    )
    return missing if missing >= school_days else None


def lost_ctf_late(
    calendar: SchoolCalendar,
    *,
    left_on: date,
    sent_on: date,
    school_days: int = LOST_CTF_SCHOOL_DAYS,
) -> int | None:
    """(e) A lost-pupil CTF (XXX/XXXX) sent more than `school_days` school days after the
    pupil left (the leaving day not counted): the number of school days taken, else None."""
    taken = len(calendar.school_days_between(left_on, sent_on)) - (
        1 if calendar.is_school_day(left_on) else 0
    )
    return taken if taken > school_days else None
