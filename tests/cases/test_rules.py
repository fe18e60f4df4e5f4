"""Every legal and every illegal transition of each case machine, table-driven, and the
guards with their sources (KSAH §15 iv, §18, §22-23; DOMAIN §6, §9-11)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from referrals.cases.machines import CME, MACHINES, STATUTORY
from referrals.cases.rules import (
    CME_ENQUIRIES,
    ENQUIRIES_INCOMPLETE,
    PART_TIME_REFUSED,
    CaseFacts,
    CaseRefused,
    Machine,
    Transition,
    closure_proposed,
    transition_check,
)

ALL_DONE = {key: {"done_on": "2025-11-20"} for key, _ in CME_ENQUIRIES}


def valid_given(transition: Transition) -> dict[str, Any]:
    given: dict[str, Any] = {}
    for need in transition.needs:
        given[need.name] = {
            "date": date(2025, 11, 20),
            "people": ["Mrs A Parent", "Ms B Officer"],
            "choice": need.choices[0][0] if need.choices else "",
        }.get(need.kind, "Recorded text")
    if transition.action == "advise_deletion":
        given["ground"] = "1i"  # fits "not located" (no located_as in the data)
    return given


def cells(legal: bool) -> list[Any]:
    rows = []
    for machine in MACHINES.values():
        for state, _ in machine.states:
            for transition in machine.transitions:
                if (state in transition.sources) is legal:
                    case_id = f"{machine.kind}:{state}:{transition.action}"
                    rows.append(pytest.param(machine, state, transition, id=case_id))
    return rows


@pytest.mark.parametrize(("machine", "state", "transition"), cells(legal=True))
def test_every_legal_transition_goes_to_its_target(
    machine: Machine, state: str, transition: Transition
) -> None:
    moved = transition_check(
        machine,
        state=state,
        action=transition.action,
        facts=CaseFacts(recent_school_days=20, recent_unauthorised=4),
        data={"enquiries": ALL_DONE},
        given=valid_given(transition),
    )
    assert moved.target in dict(machine.states)


@pytest.mark.parametrize(("machine", "state", "transition"), cells(legal=False))
def test_every_illegal_transition_is_refused_with_a_clear_message(
    machine: Machine, state: str, transition: Transition
) -> None:
    with pytest.raises(CaseRefused, match=r"case cannot .* while it is "):
        transition_check(
            machine,
            state=state,
            action=transition.action,
            facts=CaseFacts(),
            data={"enquiries": ALL_DONE},
            given=valid_given(transition),
        )


def test_closed_is_final_everywhere() -> None:
    for machine in MACHINES.values():
        assert machine.allowed("closed") == []
        assert not machine.is_open("closed")
        assert machine.initial in dict(machine.states)


def test_unknown_action_is_refused() -> None:
    with pytest.raises(CaseRefused, match="no action called fly"):
        transition_check(
            STATUTORY, state="requested", action="fly", facts=CaseFacts(), data={}, given={}
        )


@pytest.mark.parametrize(
    ("transition", "missing"),
    [
        pytest.param(t, need.name, id=f"{m.kind}:{t.action}:{need.name}")
        for m in MACHINES.values()
        for t in m.transitions
        for need in t.needs
        if not need.optional
    ],
)
def test_each_transition_needs_its_data(transition: Transition, missing: str) -> None:
    machine = next(m for m in MACHINES.values() if transition in m.transitions)
    given = valid_given(transition)
    del given[missing]
    with pytest.raises(CaseRefused, match=r"^Enter "):
        transition_check(
            machine,
            state=transition.sources[0],
            action=transition.action,
            facts=CaseFacts(),
            data={"enquiries": ALL_DONE},
            given=given,
        )


# --- KSAH §15 iv / §18: not pursued while on a part-time timetable ----------------------------
GUARDED = [t for t in STATUTORY.transitions if t.guards]


@pytest.mark.parametrize(
    "facts",
    [
        pytest.param(CaseFacts(recent_school_days=20, recent_c2=2), id="C2-in-last-20-days"),
        pytest.param(CaseFacts(recent_school_days=20, part_time_open=True), id="part-time-open"),
    ],
)
@pytest.mark.parametrize("transition", GUARDED, ids=[t.action for t in GUARDED])
def test_statutory_steps_refused_on_a_part_time_timetable(
    facts: CaseFacts, transition: Transition
) -> None:
    with pytest.raises(CaseRefused) as refused:
        transition_check(
            STATUTORY,
            state=transition.sources[0],
            action=transition.action,
            facts=facts,
            data={},
            given=valid_given(transition),
        )
    assert str(refused.value) == PART_TIME_REFUSED


def test_closing_is_never_blocked_by_a_part_time_timetable() -> None:
    transition_check(
        STATUTORY,
        state="final_warning",
        action="close",
        facts=CaseFacts(recent_c2=4, part_time_open=True),
        data={},
        given={"reason": "Part-time timetable agreed"},
    )


# --- KSAH §15 iv: closure proposed with no unauthorised absence in 20 school days --------------
@pytest.mark.parametrize(
    ("days", "unauthorised", "proposed"),
    [
        pytest.param(20, 0, True, id="20-clean-days"),
        pytest.param(20, 1, False, id="one-unauthorised-session"),
        pytest.param(19, 0, False, id="register-holds-fewer-than-20-days"),
        pytest.param(0, 0, False, id="no-register"),
    ],
)
def test_closure_proposed(days: int, unauthorised: int, proposed: bool) -> None:
    facts = CaseFacts(recent_school_days=days, recent_unauthorised=unauthorised)
    assert closure_proposed(facts) is proposed


# --- CME: enquiries complete before "not located"; the ground fits the finding (reg 9) -------
def test_not_located_needs_every_enquiry() -> None:
    partial = dict(list(ALL_DONE.items())[:-1])
    with pytest.raises(CaseRefused) as refused:
        transition_check(
            CME,
            state="enquiries",
            action="not_locate",
            facts=CaseFacts(),
            data={"enquiries": partial},
            given={},
        )
    assert str(refused.value) == ENQUIRIES_INCOMPLETE


@pytest.mark.parametrize(
    ("located_as", "ground", "fits"),
    [
        pytest.param("new_school", "1a", True, id="new-school-1a"),
        pytest.param("new_school", "1g", False, id="new-school-not-1g"),
        pytest.param("abroad", "1g", True, id="abroad-1g"),
        pytest.param("another_la", "1g", True, id="another-la-1g"),
        pytest.param("new_address", "1i", False, id="new-address-not-1i"),
        pytest.param(None, "1i", True, id="not-located-1i"),
        pytest.param(None, "1h", True, id="not-located-1h"),
        pytest.param(None, "3c", True, id="not-located-3c"),
        pytest.param(None, "1a", False, id="not-located-not-1a"),
    ],
)
def test_deletion_ground_fits_the_finding(located_as: str | None, ground: str, fits: bool) -> None:
    def check() -> None:
        transition_check(
            CME,
            state="located" if located_as else "not_located",
            action="advise_deletion",
            facts=CaseFacts(),
            data={"located_as": located_as} if located_as else {},
            given={"ground": ground, "confirmed_on": date(2025, 11, 20)},
        )

    if fits:
        check()
    else:
        with pytest.raises(CaseRefused, match=f"Ground {ground} does not fit"):
            check()


def test_a_choice_outside_the_list_is_refused() -> None:
    with pytest.raises(CaseRefused, match="Choose the offence from the list"):
        transition_check(
            STATUTORY,
            state="courts",
            action="prosecute",
            facts=CaseFacts(),
            data={},
            given={"offence": "s999", "laid_on": date(2025, 11, 20)},
        )
