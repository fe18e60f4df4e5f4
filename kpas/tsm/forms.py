"""Forms for Targeting Support Meetings."""

from __future__ import annotations

from datetime import date

from django import forms

from kpas.tsm.models import Action, Meeting

ENTER_A_REAL_DATE = "Enter a real date, for example 12 3 2026"


class MoveForm(forms.Form):
    """A new day for a meeting (GOV.UK date input: day, month, year) and how it is held."""

    day = forms.IntegerField(min_value=1, max_value=31)
    month = forms.IntegerField(min_value=1, max_value=12)
    year = forms.IntegerField(min_value=2000, max_value=2100)
    mode = forms.ChoiceField(choices=Meeting.Mode.choices, widget=forms.RadioSelect)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        try:
            data["date"] = date(int(data["year"]), int(data["month"]), int(data["day"]))
        except (KeyError, TypeError, ValueError):
            raise forms.ValidationError(ENTER_A_REAL_DATE) from None
        return data


ACTION_ROWS = 3
FOLLOW_UP_CHOICES = [
    (Action.Status.OPEN, "Still open"),
    (Action.Status.DONE, "Done"),
    (Action.Status.NOT_DONE, "Not done"),
    (Action.Status.DROPPED, "No longer needed"),
]
ACTION_INCOMPLETE = "Give the action, who owns it and a real due date, or leave the row empty"


class RecordForm(forms.Form):
    """The Record of Consultation: what was discussed (no pupil names), up to three actions
    agreed, and the follow-up of earlier actions."""

    attendees = forms.CharField(label="Who attended", widget=forms.Textarea(attrs={"rows": 2}))
    whole_school = forms.CharField(
        label="Whole-school attendance: what was discussed",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    cohorts = forms.CharField(
        label="Cohorts and patterns", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    severe_absence = forms.CharField(
        label="Severely absent pupils without a joint plan (do not name pupils)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    support = forms.CharField(
        label="Support and services agreed",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: object, earlier: list[Action], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.earlier = earlier
        for i in range(ACTION_ROWS):
            self.fields[f"action_{i}_description"] = forms.CharField(required=False, max_length=500)
            self.fields[f"action_{i}_owner_side"] = forms.ChoiceField(
                choices=Action.Side.choices, required=False, widget=forms.RadioSelect
            )
            self.fields[f"action_{i}_owner"] = forms.CharField(required=False, max_length=150)
            for part in ("day", "month", "year"):
                self.fields[f"action_{i}_{part}"] = forms.IntegerField(required=False)
        for action in earlier:
            self.fields[f"follow_{action.pk}_status"] = forms.ChoiceField(
                choices=FOLLOW_UP_CHOICES, initial=Action.Status.OPEN
            )
            self.fields[f"follow_{action.pk}_note"] = forms.CharField(
                required=False, max_length=500
            )

    def action_rows(self) -> list[dict[str, object]]:
        return [
            {
                "index": i,
                **{
                    part: self[f"action_{i}_{part}"]
                    for part in ("description", "owner_side", "owner", "day", "month", "year")
                },
            }
            for i in range(ACTION_ROWS)
        ]

    def follow_rows(self) -> list[dict[str, object]]:
        return [
            {
                "action": a,
                "status": self[f"follow_{a.pk}_status"],
                "note": self[f"follow_{a.pk}_note"],
            }
            for a in self.earlier
        ]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        actions = []
        for i in range(ACTION_ROWS):
            values = {
                p: data.get(f"action_{i}_{p}")
                for p in ("description", "owner_side", "owner", "day", "month", "year")
            }
            if not any(values.values()):
                continue
            try:
                due = date(int(values["year"]), int(values["month"]), int(values["day"]))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                due = None
            if not (values["description"] and values["owner_side"] and values["owner"] and due):
                self.add_error(f"action_{i}_description", ACTION_INCOMPLETE)
                continue
            actions.append((values["description"], values["owner_side"], values["owner"], due))
        data["actions"] = actions
        data["follow_ups"] = {
            a.pk: (
                data.get(f"follow_{a.pk}_status") or "open",
                data.get(f"follow_{a.pk}_note") or "",
            )
            for a in self.earlier
        }
        return data
