"""The form for one transition, built from its needs (the machine's data, not a form per
step), and the note form (internal unless shared)."""

from __future__ import annotations

from typing import Any

from django import forms

from referrals.cases.rules import Transition


def transition_form(transition: Transition, data: Any = None) -> forms.Form:
    fields: dict[str, forms.Field] = {}
    for need in transition.needs:
        label = need.label[0].upper() + need.label[1:]
        if need.kind == "date":
            fields[need.name] = forms.DateField(
                label=label,
                required=not need.optional,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
        elif need.kind == "choice":
            fields[need.name] = forms.ChoiceField(
                label=label, choices=[("", "Choose"), *need.choices], required=not need.optional
            )
        elif need.kind == "people":
            fields[need.name] = forms.CharField(
                label=label,
                help_text="Names and roles, separated by commas",
                required=not need.optional,
            )
        else:
            fields[need.name] = forms.CharField(
                label=label, widget=forms.Textarea(attrs={"rows": 3}), required=not need.optional
            )
    form_class = type("TransitionForm", (forms.Form,), fields)
    return form_class(data, prefix=transition.action)


class NoteForm(forms.Form):
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    shared = forms.BooleanField(label="Share this note with the school", required=False)
