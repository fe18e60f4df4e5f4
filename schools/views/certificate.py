"""The registration certificate page: choose a period; a worker renders the PDF and the
documents pipeline's progress page offers it (schools/certificate/, kpas/base/documents/).

Which document the user gets — the head teacher's certificate, the authority's copy or a
working copy — follows their role (schools/certificate/documents.py)."""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kpas.base.audit import AuditAction, audit_record
from schools.calendar import academic_year_of
from schools.certificate.documents import VARIANTS, certificate_kind_for, certificate_request
from schools.certificate.period import default_period, period_problems
from schools.models import Enrolment, Pupil, School
from schools.school_calendar import calendar_for_school
from schools.selectors import pupil_list_for, school_get_for

TEMPLATE: Final = "schools/certificate/form.html"
PARTS: Final = ("day", "month", "year")

# GOV.UK date input error texts ({label} is "Start date" or "End date"); tests import these.
ENTER_DATE: Final = "Enter the {name}"
MUST_INCLUDE: Final = "{label} must include a {parts}"
NOT_REAL: Final = "{label} must be a real date"
YEAR_DIGITS: Final = "Year must include 4 numbers"


def _parse(values: dict[str, str], label: str) -> tuple[date | None, str, list[str]]:
    """(date, error, parts in error) for one GOV.UK date input."""
    missing = [part for part in PARTS if not values[part]]
    if len(missing) == len(PARTS):
        return None, ENTER_DATE.format(name=label.lower()), ["day"]
    if missing:
        return None, MUST_INCLUDE.format(label=label, parts=" and ".join(missing)), missing
    if not all(values[part].isdigit() for part in PARTS):
        wrong = [part for part in PARTS if not values[part].isdigit()]
        return None, NOT_REAL.format(label=label), wrong
    if len(values["year"]) != 4:
        return None, YEAR_DIGITS, ["year"]
    try:
        return date(int(values["year"]), int(values["month"]), int(values["day"])), "", []
    except ValueError:
        return None, NOT_REAL.format(label=label), list(PARTS)


class CertificatePeriodForm(forms.Form):
    """Two GOV.UK date inputs (start, end), checked against the pupil's time on roll."""

    DATES: Final = (("start", "Start date"), ("end", "End date"))

    def __init__(
        self, *args: Any, today: date, enrolments: list[tuple[date, date | None]], **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.today = today
        self.enrolments = enrolments
        self.date_errors: dict[str, str] = {}
        self.parts_in_error: set[str] = set()
        for prefix, _label in self.DATES:
            for part in PARTS:
                self.fields[f"{prefix}-{part}"] = forms.CharField(required=False, strip=True)

    def groups(self) -> list[dict[str, Any]]:
        """What the template needs for each date input."""
        return [
            {
                "prefix": prefix,
                "legend": label,
                "error": self.date_errors.get(prefix, ""),
                "parts": [
                    (part, self[f"{prefix}-{part}"], f"{prefix}-{part}" in self.parts_in_error)
                    for part in PARTS
                ],
            }
            for prefix, label in self.DATES
        ]

    def _error(self, prefix: str, message: str, parts: list[str]) -> None:
        """One message per date input, linked from the summary to its first part in error;
        every part in error is highlighted."""
        self.date_errors[prefix] = message
        self.add_error(f"{prefix}-{parts[0]}", message)
        self.parts_in_error.update(f"{prefix}-{part}" for part in parts)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parsed: dict[str, date] = {}
        for prefix, label in self.DATES:
            values = {part: (self.data.get(f"{prefix}-{part}") or "").strip() for part in PARTS}
            day, error, parts = _parse(values, label)
            if error:
                self._error(prefix, error, parts)
            elif day is not None:
                parsed[prefix] = day
        if len(parsed) == len(self.DATES):
            problems = period_problems(
                parsed["start"], parsed["end"], today=self.today, enrolments=self.enrolments
            )
            for prefix, message in problems.items():
                self._error(prefix, message, list(PARTS))
        data.update(parsed)
        return data


def _pupil_at(request: HttpRequest, urn: str, upn: str) -> tuple[School, Pupil]:
    """The school and a pupil ever on its roll, both in the user's scope; else 404."""
    school = school_get_for(request.user, urn)  # type: ignore[arg-type]
    try:
        pupil = pupil_list_for(request.user, school=school).get(  # type: ignore[arg-type]
            upn=upn.strip().upper()
        )
    except Pupil.DoesNotExist:
        raise Http404("No such pupil.") from None
    return school, pupil


def _back_link(school: School, pupil: Pupil) -> str:
    """The pupil's record when the dashboard has one, else the home page."""
    for name, kwargs in (
        ("schools:pupil-detail", {"urn": school.urn, "upn": pupil.upn}),
        ("schools:school-dashboard", {"urn": school.urn}),
    ):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return reverse("home")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def pupil_certificate(request: HttpRequest, urn: str, upn: str) -> HttpResponse:
    school, pupil = _pupil_at(request, urn, upn)
    enrolments = list(
        Enrolment.objects.filter(pupil=pupil, school=school)
        .order_by("start_date")
        .values_list("start_date", "end_date")
    )
    today = timezone.localdate()
    if request.method == "POST":
        form = CertificatePeriodForm(request.POST, today=today, enrolments=enrolments)
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
            document = certificate_request(
                pupil=pupil,
                school=school,
                start=start,
                end=end,
                requested_by=request.user,  # type: ignore[arg-type]
            )
            return redirect("documents:progress", public_id=document.public_id)
    else:
        calendar = calendar_for_school(school.pk, [academic_year_of(today)])
        start, end = default_period(today=today, enrolments=enrolments, calendar=calendar)
        initial = {}
        for prefix, day in (("start", start), ("end", end)):
            initial.update(
                {f"{prefix}-day": day.day, f"{prefix}-month": day.month, f"{prefix}-year": day.year}
            )
        form = CertificatePeriodForm(initial=initial, today=today, enrolments=enrolments)
    context = {
        "school": school,
        "pupil": pupil,
        "form": form,
        "enrolments": enrolments,
        "today": today,
        "back_url": _back_link(school, pupil),
        "first_day": enrolments[0][0],
        "kind": certificate_kind_for(request.user),  # type: ignore[arg-type]
    }
    context["variant"] = VARIANTS[context["kind"]]
    audit_record(
        actor=request.user,  # type: ignore[arg-type]
        action=AuditAction.PUPIL_RECORD_VIEWED,
        obj=pupil,
        detail={"urn": school.urn, "via": "certificate page"},
    )
    return render(request, TEMPLATE, context, status=200)
