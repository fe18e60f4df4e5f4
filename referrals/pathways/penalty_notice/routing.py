"""Where a penalty notice request goes: the Courts Team, which allocates its own casework."""

from __future__ import annotations

from referrals.engine.definitions import RoutingRule

ROUTING: tuple[RoutingRule, ...] = (
    RoutingRule(
        "courts",
        why="Penalty notices are checked and issued by the Courts Team "
        "(KSAH §8, §15 iv). The team allocates its own casework.",
    ),
)
