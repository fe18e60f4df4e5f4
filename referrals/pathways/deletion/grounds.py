"""The grounds for deletion in regulation 9 of the School Attendance (Pupil Registration)
(England) Regulations 2024, and the groups of them the deletion pathway's questions,
conditions and routing depend on."""

from __future__ import annotations

from referrals.engine.definitions import Choice, SchoolIs
from referrals.pathways.common import KNOWN_TO_SERVICES

GROUNDS = (
    Choice(
        "1a",
        "1(a) Registered at another school",
        hint="Not where a school attendance order names this school, this is a mobile "
        "child's main school, or dual registration has been agreed",
    ),
    Choice("1b", "1(b) Completed nursery education here and will not move to reception"),
    Choice(
        "1c",
        "1(c) Registered at other schools, stopped attending here, and they consent",
        hint="No school attendance order names this school and there are no reasonable "
        "grounds to think the pupil will attend again",
    ),
    Choice("1d", "1(d) School attendance order amended to name another school"),
    Choice("1e", "1(e) School attendance order revoked by the local authority"),
    Choice(
        "1f",
        "1(f) Education otherwise than at school (elective home education)",
        hint="The parent has told you they are educating the pupil otherwise than at school",
    ),
    Choice(
        "1g",
        "1(g) No longer lives a reasonable distance from the school",
        hint="Not a boarder, and no reasonable grounds to think the pupil will attend again",
    ),
    Choice("1h", "1(h) Not returned within 10 school days after a leave of absence"),
    Choice(
        "1i",
        "1(i) Continuously absent for at least 20 school days",
        hint="Every session G, N or O, after joint enquiries by the school and the authority",
    ),
    Choice(
        "1j",
        "1(j) Detained under a court order",
        hint="And no reasonable grounds to think the pupil will return at the end of it",
    ),
    Choice("1k", "1(k) Has died"),
    Choice(
        "1l",
        "1(l) Over compulsory school age by the time the school next meets",
        hint="And not continuing at the school, for example in the sixth form",
    ),
    Choice("1m", "1(m) A boarder whose boarding charges have not been paid"),
    Choice(
        "1n",
        "1(n) Has ceased to be a pupil of the school",
        hint="Independent and non-maintained special schools",
    ),
    Choice(
        "1o", "1(o) Permanently excluded", hint="Only once all exclusion processes have concluded"
    ),
    Choice(
        "3a", "3(a) Not a boarder and will not attend again", divider="Not of compulsory school age"
    ),
    Choice("3b", "3(b) A boarder who has ceased to be a pupil of the school"),
    Choice("3c", "3(c) Continuously absent for at least 20 school days"),
    Choice("3d", "3(d) Has died"),
    Choice("3e", "3(e) Permanently excluded"),
)
CME_GROUNDS = ("1g", "1h", "1i")
# A forwarding address waives the CME notification for 1(g) only; 1(h), 1(i) and 3(c) need
# the authority's enquiries complete, with deletion advised (reg 9; KSAH §22-23; DOMAIN §9).
FORWARDING_ADDRESS_GROUNDS = ("1g",)
ENQUIRIES_COMPLETE_GROUNDS = ("1h", "1i", "3c")
CONTINUOUS_GROUNDS = ("1i", "3c")
EXCLUDED_GROUNDS = ("1o", "3e")
DIED_GROUNDS = ("1k", "3d")
SPECIAL_SCHOOL = SchoolIs("school_type", ("special",))
KNOWN_TO_PROFESSIONALS = KNOWN_TO_SERVICES
