"""Where a deletion return goes, by its ground and the pupil's flags (docs/dfd.md, routing
table)."""

from __future__ import annotations

from referrals.engine.definitions import AllOf, Equals, Not, OneOf, RoutingRule
from referrals.pathways.common import HAS_EHCP, send_copy, virtual_school_copy
from referrals.pathways.deletion.grounds import CME_GROUNDS, EXCLUDED_GROUNDS, SPECIAL_SCHOOL

ROUTING: tuple[RoutingRule, ...] = (
    RoutingRule(
        "cme",
        when=OneOf("ground", (*CME_GROUNDS, "3c")),
        why="The central CME team continues enquiries after deletion (KSAH §22); "
        "the home LA investigates a child deleted under 1(h)/1(i) (DOMAIN §1).",
    ),
    RoutingRule(
        "send",
        when=AllOf(Equals("ground", "1f"), SPECIAL_SCHOOL),
        why="A special school pupil needs the SEND team's agreement (KSAH §23).",
    ),
    RoutingRule(
        "ehe",
        when=AllOf(Equals("ground", "1f"), SPECIAL_SCHOOL),
        copy=True,
        why="The EHE team visits every home-educating family (KSAH §23).",
    ),
    RoutingRule(
        "ehe",
        when=Equals("ground", "1f"),
        why="Notice of elective home education goes to the EHE team (KSAH §23).",
    ),
    RoutingRule(
        "courts",
        when=OneOf("ground", ("1d", "1e")),
        why="School attendance orders are the Courts Team's (KSAH §15 iv).",
    ),
    RoutingRule(
        "exclusions",
        when=OneOf("ground", EXCLUDED_GROUNDS),
        officer="exclusion_adviser",
        why="Permanent exclusions: the exclusions team and the school's adviser (KSAH §19).",
    ),
    RoutingRule(
        "admissions", why="Every other ground changes where the pupil is on roll: Admissions."
    ),
    send_copy(
        "Deletion form routing also follows flags such as an EHCP (KSAH §24).",
        when=AllOf(HAS_EHCP, Not(Equals("ground", "1f"))),
    ),
    virtual_school_copy("A child in care: the Virtual School is told (KSAH §16, §22)."),
)
