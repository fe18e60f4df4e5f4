"""Which team each role works in: the mapping every app's queues and case allocation share
(DOMAIN §1; KSAH §8). Countywide roles work in their central team when the account names
no team of its own."""

from __future__ import annotations

from typing import Final

from kpas.base.models import Team
from kpas.base.roles import Role

ROLE_TEAM_FUNCTION: Final[dict[str, str]] = {
    Role.COURTS_TEAM: Team.Function.COURTS,
    Role.CME_TEAM: Team.Function.CME,
    Role.EHE_TEAM: Team.Function.EHE,
}


def team_function_for(role: str) -> str | None:
    """The central team's function this role works in, if any."""
    return ROLE_TEAM_FUNCTION.get(role)


def role_for_team_function(function: str) -> str | None:
    """The role whose members work a central team with this function, if any."""
    return next((role for role, f in ROLE_TEAM_FUNCTION.items() if f == function), None)
