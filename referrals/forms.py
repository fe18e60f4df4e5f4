"""Forms outside the pathways (whose questions the engine reads): an officer's action."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from referrals import errors
from referrals.rules import ClosingOutcome

ACTIONS = [
    ("triage", "Accept"),
    ("close", "Close"),
    ("reopen", "Reopen"),
    ("allocate", "Allocate"),
    ("note", "Add a note"),
    ("ask", "Ask the school"),
]


class ActionForm(forms.Form):
    action = forms.ChoiceField(choices=ACTIONS)
    note = forms.CharField(required=False, max_length=4000, widget=forms.Textarea, strip=True)
    officer = forms.IntegerField(required=False, min_value=1)
    # Notes are internal unless the officer ticks this (the page says which before saving).
    shared = forms.BooleanField(required=False)
    # Closing a CME notification with "enquiries complete, deletion advised" (KSAH §22-23)
    closing_outcome = forms.ChoiceField(
        required=False, choices=[("", "Other outcome"), *ClosingOutcome.choices]
    )
    deletion_advised_on_day = forms.IntegerField(required=False, min_value=1, max_value=31)
    deletion_advised_on_month = forms.IntegerField(required=False, min_value=1, max_value=12)
    deletion_advised_on_year = forms.IntegerField(required=False, min_value=2000, max_value=2100)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        parts = [data.get(f"deletion_advised_on_{p}") for p in ("year", "month", "day")]
        data["deletion_advised_on"] = None
        if any(p is not None for p in parts):
            try:
                data["deletion_advised_on"] = date(*[int(p or 0) for p in parts])
            except ValueError:
                self.add_error("deletion_advised_on_day", errors.DELETION_ADVISED_DATE_REQUIRED)
        return data


class AnswerForm(forms.Form):
    answer = forms.CharField(max_length=4000, widget=forms.Textarea, strip=True)
