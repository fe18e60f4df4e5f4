"""Where a submission goes: the rules declared with each pathway, applied to its answers.

`route_rules` is the decision (pure: a pathway and a context in, rules out), tested table by
table; `route` turns it into the teams and officer of the authority's configuration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kpas.base.models import Team

if TYPE_CHECKING:
    from kpas.base.models import User
    from referrals.engine.context import Context
    from referrals.engine.definitions import Pathway, RoutingRule
    from schools.models import School


def route_rules(pathway: Pathway, ctx: Context) -> tuple[RoutingRule | None, list[RoutingRule]]:
    """(the rule that decides the queue, the rules adding teams that are told too)."""
    primary: RoutingRule | None = None
    copies: list[RoutingRule] = []
    for rule in pathway.routing:
        if not rule.applies(ctx):
            continue
        if rule.copy:
            copies.append(rule)
        elif primary is None:
            primary = rule
    if primary is not None:
        copies = [rule for rule in copies if rule.team != primary.team]
    return primary, copies


@dataclass
class Route:
    team: Team | None = None
    officer: User | None = None
    copies: list[Team] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def team_for(function: str, *, school: School | None, by_area: bool) -> Team | None:
    teams = Team.objects.filter(function=function)
    if by_area:
        if school is None:
            return None
        return teams.filter(area_id=school.district.area_id).order_by("pk").first()
    return teams.filter(area__isnull=True).order_by("pk").first() or teams.order_by("pk").first()


def route(pathway: Pathway, ctx: Context) -> Route:
    school = ctx.school
    primary, copies = route_rules(pathway, ctx)
    result = Route()
    if primary is not None:
        result.team = team_for(primary.team, school=school, by_area=primary.by_area)
        if primary.officer and school is not None:
            result.officer = getattr(school, primary.officer)
        result.reasons.append(primary.why)
        if result.team is None:
            result.reasons.append(f"No {primary.team} team is configured for this school.")
    for rule in copies:
        team = team_for(rule.team, school=school, by_area=rule.by_area)
        if team is not None and team != result.team and team not in result.copies:
            result.copies.append(team)
            result.reasons.append(rule.why)
    return result
