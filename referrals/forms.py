"""Forms outside the pathways (whose questions the engine reads): an officer's action."""

from __future__ import annotations

from django import forms

ACTIONS = [
    ("triage", "Accept"),
    ("close", "Close"),
    ("reopen", "Reopen"),
    ("allocate", "Allocate"),
    ("note", "Add a note"),
]


class ActionForm(forms.Form):
    action = forms.ChoiceField(choices=ACTIONS)
    note = forms.CharField(required=False, max_length=4000, widget=forms.Textarea, strip=True)
    officer = forms.IntegerField(required=False, min_value=1)
