"""The accessibility statement (GOV.UK's model statement), public like the sign-in page: the
Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018
require one for the service."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

# When the statement was last reviewed against the tests listed on it (tests/browser).
STATEMENT_PREPARED = date(2026, 12, 3)


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "kpas/site/accessibility.html", {"prepared_on": STATEMENT_PREPARED})
