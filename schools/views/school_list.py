"""The schools a user may see: /schools/."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from schools.selectors import school_list_for


@login_required
def school_list(request: HttpRequest) -> HttpResponse:
    schools = school_list_for(request.user).select_related(  # type: ignore[arg-type]
        "attendance_officer", "exclusion_adviser"
    )
    return render(request, "schools/school_list.html", {"schools": schools})
