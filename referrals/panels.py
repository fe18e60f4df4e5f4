"""Figures a question page's panel shows beyond the register facts themselves."""

from __future__ import annotations

from datetime import date
from typing import Any

from referrals.engine.context import Context
from referrals.facts import current_absence_run
from returns.rules import cme_referral_due


def panel_data(name: str, ctx: Context) -> dict[str, Any]:
    if name == "last_attendance":
        answer = ctx.answers.get("last_attended")
        last = date.fromisoformat(answer) if isinstance(answer, str) and answer else None
        if last is None and ctx.facts is not None:
            last = ctx.facts.last_attended
        calendar = ctx.calendar
        due = cme_referral_due(calendar, last) if last and calendar else None
        run = current_absence_run(ctx.facts) if ctx.facts is not None else None
        return {"cme_due": due, "cme_late": due is not None and ctx.today > due, "run": run}
    return {}
