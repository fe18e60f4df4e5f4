"""The case state machines, as data (STYLE habit 6): each kind's states, and every allowed
transition with the data it needs and the guards it must pass. One service
(`referrals.cases.services.case_transition`) runs them; a move not in the table is refused.

Pure: no ORM, no clock. Sources are cited per machine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from django.db import models


class CaseKind(models.TextChoices):
    STATUTORY = "statutory", "Statutory attendance intervention"
    CME = "cme", "Child missing education"
    EXCLUSION = "exclusion", "Suspension or permanent exclusion"
    PART_TIME = "part_time", "Part-time timetable"
    FORMAL_MEETING = "formal_meeting", "Formal attendance meeting"
    PRU = "pru", "Single registration at a PRU"
    EXCLUSION_ADVICE = "exclusion_advice", "Exclusion intervention advice"
    PROFESSIONAL = "professional", "Professional request"


@dataclass(frozen=True)
class CaseFacts:
    """What the guards read: the register's most recent 20 school days and the pupil's other
    cases, gathered by the service (schools.register_facts) and passed in."""

    recent_school_days: int = 0
    recent_unauthorised: int = 0
    recent_c2: int = 0
    part_time_open: bool = False
    enquiries_done: frozenset[str] = frozenset()


# --- errors (module constants that tests import) -------------------------------------------
ILLEGAL = "A {kind} case cannot {action} while it is {state}."
UNKNOWN_ACTION = "There is no action called {action}."
NEEDS = "Enter {label}."
BAD_CHOICE = "Choose {label} from the list."
PART_TIME_REFUSED = (
    "Statutory intervention is not pursued while the pupil is on a part-time timetable: "
    "the register shows C2 in the most recent 20 school days, or a part-time timetable is "
    "open (KSAH §15 iv, §18)."
)
ENQUIRIES_INCOMPLETE = (
    "Record every enquiry (school, home visit, other authorities, health, police and the "
    "CTF hub) before recording the child as not located (KSAH §23)."
)
GROUND_MISMATCH = "Ground {ground} does not fit a child {outcome}: choose {allowed}."


# --- guards: each returns an error message, or None when the move may go ahead ----------------
Guard = Callable[[CaseFacts, Mapping[str, Any], Mapping[str, Any]], str | None]


def no_part_time(facts: CaseFacts, data: Mapping[str, Any], given: Mapping[str, Any]) -> str | None:
    # KSAH §15 iv; DOMAIN §6, §11: legal intervention is not pursued on a part-time timetable.
    return PART_TIME_REFUSED if facts.recent_c2 or facts.part_time_open else None


CME_ENQUIRIES: Final[tuple[tuple[str, str], ...]] = (
    ("school", "Enquiries with the school"),
    ("home_visit", "Home visit"),
    ("other_las", "Other local authorities"),
    ("health", "Health"),
    ("police", "Police"),
    ("ctf_hub", "The Common Transfer File hub (lost pupils database)"),
)


def enquiries_complete(
    facts: CaseFacts, data: Mapping[str, Any], given: Mapping[str, Any]
) -> str | None:
    done = set(data.get("enquiries", {}))
    return None if {key for key, _ in CME_ENQUIRIES} <= done else ENQUIRIES_INCOMPLETE


# Deletion grounds that fit each CME finding (reg 9; DOMAIN §9): a new school is 1(a); moved
# away (new address, another authority, abroad) 1(g); not located 1(h) after leave,
# 1(i) (or 3(c) over compulsory school age) after 20 school days' continuous absence.
CME_GROUNDS: Final[dict[str, tuple[str, ...]]] = {
    "new_school": ("1a",),
    "new_address": ("1g",),
    "another_la": ("1g",),
    "abroad": ("1g",),
    "not_located": ("1h", "1i", "3c"),
}


def ground_fits(facts: CaseFacts, data: Mapping[str, Any], given: Mapping[str, Any]) -> str | None:
    outcome = data.get("located_as") or "not_located"
    allowed = CME_GROUNDS.get(outcome, ())
    ground = given.get("ground")
    if ground in allowed:
        return None
    return GROUND_MISMATCH.format(
        ground=ground, outcome=outcome.replace("_", " "), allowed=" or ".join(allowed)
    )


# --- the shape of a machine -----------------------------------------------------------------
@dataclass(frozen=True)
class Need:
    """One piece of data a transition needs: a date, text, or a choice from a list."""

    name: str
    label: str
    kind: str = "text"  # text | date | choice | people
    choices: tuple[tuple[str, str], ...] = ()
    optional: bool = False


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    needs: tuple[Need, ...] = ()
    guards: tuple[Guard, ...] = ()
    event: str = "transition"  # transition | meeting | letter: how the timeline shows it
    letter: str = ""  # the document kind a letter transition produces


@dataclass(frozen=True)
class Machine:
    kind: str
    states: tuple[tuple[str, str], ...]
    initial: str
    transitions: tuple[Transition, ...]
    final: frozenset[str] = field(default_factory=lambda: frozenset({"closed"}))
    source: str = ""

    def label(self, state: str) -> str:
        return dict(self.states).get(state, state)

    def transition(self, action: str) -> Transition:
        for candidate in self.transitions:
            if candidate.action == action:
                return candidate
        raise CaseRefused(UNKNOWN_ACTION.format(action=action))

    def allowed(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]

    def is_open(self, state: str) -> bool:
        return state not in self.final


class CaseRefused(ValueError):
    """A move the machine does not allow, data missing or a guard failing (message says why)."""


def _date(name: str, label: str, optional: bool = False) -> Need:
    return Need(name, label, "date", optional=optional)


def _text(name: str, label: str, optional: bool = False) -> Need:
    return Need(name, label, "text", optional=optional)


def _people(name: str = "attendees", label: str = "who attended") -> Need:
    return Need(name, label, "people")


CLOSE_REASON = _text("reason", "the reason for closing")


def transition_check(
    machine: Machine,
    *,
    state: str,
    action: str,
    facts: CaseFacts,
    data: Mapping[str, Any],
    given: Mapping[str, Any],
) -> Transition:
    """The transition for `action` from `state`, once its data and guards pass; CaseRefused
    (with the message the officer sees) otherwise. Never silently ignored."""
    transition = machine.transition(action)
    if state not in transition.sources:
        raise CaseRefused(
            ILLEGAL.format(
                kind=dict(CaseKind.choices).get(machine.kind, machine.kind).lower(),
                action=transition.label.lower(),
                state=machine.label(state).lower(),
            )
        )
    for need in transition.needs:
        value = given.get(need.name)
        if value in (None, "", [], ()):
            if need.optional:
                continue
            raise CaseRefused(NEEDS.format(label=need.label))
        if need.kind == "choice" and value not in {key for key, _ in need.choices}:
            raise CaseRefused(BAD_CHOICE.format(label=need.label))
    for guard in transition.guards:
        problem = guard(facts, data, given)
        if problem:
            raise CaseRefused(problem)
    return transition


def closure_proposed(facts: CaseFacts, *, window: int = 20) -> bool:
    """KSAH §15 iv (DOMAIN §6): a statutory case closes when the register shows no
    unauthorised absence in the most recent 20 school days; proposed, the officer decides.
    Needs a full window of register: fewer days held proposes nothing."""
    return facts.recent_school_days >= window and facts.recent_unauthorised == 0
