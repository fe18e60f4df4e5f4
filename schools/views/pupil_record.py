"""A pupil's record at a school: the page a SAC or KPAS officer reads before a conversation.

The school and pupil both come through the scoped selectors (out of scope is 404), and
every view of the record is audited as a sensitive read.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kpas.base.audit import AuditAction, audit_record
from schools.codes import Category
from schools.dashboard.pupil_record import CATEGORY_LABELS, pupil_record_for
from schools.models import Pupil
from schools.panels import PUPIL_RECORD, panels_for
from schools.record_history import pupil_history_for
from schools.selectors import pupil_list_for, pupil_view_for, school_get_for
from schools.views.dashboard import as_of_from

# The key to the register calendar, in the order the categories are shown.
CALENDAR_KEY = [
    (Category.PRESENT.value, CATEGORY_LABELS[Category.PRESENT], "/ \\ L"),
    (Category.APPROVED_ACTIVITY.value, CATEGORY_LABELS[Category.APPROVED_ACTIVITY], "K V P W B"),
    (Category.AUTHORISED.value, CATEGORY_LABELS[Category.AUTHORISED], "C C1 C2 E I J1 M R S T"),
    (Category.UNAUTHORISED.value, CATEGORY_LABELS[Category.UNAUTHORISED], "G N O U"),
    (Category.NOT_POSSIBLE.value, CATEGORY_LABELS[Category.NOT_POSSIBLE], "D X Q Y1\N{EN DASH}Y7"),
    (Category.ADMINISTRATIVE.value, "Not on roll or school closed", "Z #"),
]


@never_cache
@login_required
@require_GET
def pupil_detail(request: HttpRequest, urn: str, upn: str) -> HttpResponse:
    school = school_get_for(request.user, urn)  # type: ignore[arg-type]
    try:
        pupil = pupil_list_for(request.user, school=school).get(  # type: ignore[arg-type]
            upn=upn.strip().upper()
        )
    except Pupil.DoesNotExist:
        raise Http404("No such pupil.") from None
    raw_year = request.GET.get("year", "")
    year = int(raw_year) if raw_year.isdigit() and len(raw_year) == 4 else None
    record = pupil_record_for(
        pupil_view_for(request.user, pupil),
        school,  # type: ignore[arg-type]
        as_of=as_of_from(request),
        year=year,
    )
    audit_record(
        actor=request.user,  # type: ignore[arg-type]
        action=AuditAction.PUPIL_RECORD_VIEWED,
        obj=pupil,
        detail={"urn": school.urn, "academic_year": record.year, "via": "web"},
    )
    return render(
        request,
        "schools/pupil_record.html",
        {
            "school": school,
            "pupil": pupil,
            "record": record,
            "calendar_key": CALENDAR_KEY,
            "days": range(1, 32),
            # Field-level history, for the authority's staff only (ADR 0012).
            "history": pupil_history_for(
                request.user,  # type: ignore[arg-type]
                pupil,
                contacts_visible=record.contacts_visible,
            ),
            # Higher floors' panels (penalties, returns, cases): ADR 0008.
            "panels": panels_for(PUPIL_RECORD, user=request.user, pupil=pupil, school=school),
        },
    )
