"""System checks: the penalty settings are readable before any decision needs them."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from penalties.vocabulary import EscalationWindow


@register()
def penalty_settings_check(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    window = getattr(settings, "PENALTY_ESCALATION_WINDOW", EscalationWindow.CALENDAR)
    if window not in {w.value for w in EscalationWindow}:
        errors.append(
            Error(
                f"PENALTY_ESCALATION_WINDOW is {window!r}: use 'calendar' or 'school_years'.",
                id="penalties.E001",
            )
        )
    if not re.fullmatch(r"\d{3}", str(getattr(settings, "AUTHORITY_LA_CODE", ""))):
        errors.append(Error("AUTHORITY_LA_CODE must be a 3-digit LA number.", id="penalties.E002"))
    return errors
