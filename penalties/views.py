"""The Courts Team's pages: requests, one request's checklist with the decision per parent,
issued notices with their letters and the day's print run. Thin: reads through
`penalties.workspace`, writes through `penalties.services`."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from kpas.base.errors import ApplicationError, NotFound
from kpas.base.models import Document, User
from kpas.base.roles import LINKED_OFFICER_ROLES
from penalties import services
from penalties.improvement import KIND as IMPROVEMENT_KIND
from penalties.improvement import notice_to_improve_issue
from penalties.letters import batch_request, notice_letter_request
from penalties.models import PenaltyNotice
from penalties.payments import notice_prosecute, notice_withdraw, payment_record
from penalties.prosecution import OUTCOME_LABELS, notice_prosecution_outcome
from penalties.reports import COLUMNS, GROUPS, may_see_reports, penalty_report, report_csv
from penalties.vocabulary import Delivery
from penalties.workspace import (
    is_courts,
    notice_get_for,
    notice_list_for,
    request_checklist,
    request_get_for,
    request_list_for,
    stated_conditions,
)
from schools.models import Parent
from schools.selectors import pupil_list_for, school_get_for


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _courts_only(user: User) -> None:
    if not is_courts(user):
        raise NotFound("No such page.")


def _day(value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@login_required
@require_http_methods(["GET"])
def request_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rows = list(request_list_for(user)[:200])
    if not rows and not is_courts(user) and not user.is_school_staff:
        raise NotFound("No such page.")
    return render(request, "penalties/requests.html", {"rows": rows, "courts": is_courts(user)})


@login_required
@require_http_methods(["GET"])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = request_get_for(user, pk)
    courts = is_courts(user)
    on = _day(request.GET.get("on"))
    delivery = request.GET.get("delivery", Delivery.POST)
    if delivery not in (Delivery.POST, Delivery.HAND):
        delivery = Delivery.POST
    context = {
        "req": found,
        "courts": courts,
        "on": on,
        "delivery": delivery,
        "parents": request_checklist(found, on=on, delivery=delivery) if courts else None,
        "stated": stated_conditions(found) if courts else [],
        "rows": list(found.parents.all()),
        "certificate_url": reverse(
            "schools:pupil-certificate", kwargs={"urn": found.school.urn, "upn": found.pupil.upn}
        ),
    }
    return render(request, "penalties/request.html", context)


@login_required
@require_POST
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """One parent's decision: issue, refuse (with a reason the school sees) or route."""
    user = _user(request)
    _courts_only(user)
    found = request_get_for(user, pk)
    row = found.parents.filter(pk=request.POST.get("parent")).first()
    if row is None:
        raise NotFound("No such parent on this request.")
    on = _day(request.POST.get("on"))
    delivery = request.POST.get("delivery", Delivery.POST)
    action = request.POST.get("action")
    try:
        if action == "issue":
            notice = services.request_parent_issue(
                actor=user, request_parent=row, on=on, delivery=Delivery(delivery)
            )
            messages.success(request, f"Notice {notice.reference} issued to {row.name}.")
        elif action == "refuse":
            services.request_parent_refuse(
                actor=user, request_parent=row, reason=request.POST.get("reason", "")
            )
            messages.success(request, f"Refused for {row.name}.")
        elif action == "route":
            services.request_parent_route(actor=user, request_parent=row, on=on)
            messages.success(request, f"{row.name} routed to other legal intervention.")
        else:
            raise ApplicationError("Choose an action.", code="action")
    except (ApplicationError, ValueError) as error:
        messages.error(request, str(error))
    url = reverse("penalties:request", kwargs={"pk": found.pk})
    return redirect(f"{url}?on={on.isoformat()}&delivery={delivery}")


@login_required
@require_http_methods(["GET"])
def notice_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not is_courts(user) and user.role not in LINKED_OFFICER_ROLES:
        raise NotFound("No such page.")
    notices = notice_list_for(user).order_by("-issued_on", "reference")
    return render(
        request,
        "penalties/notices.html",
        {
            "notices": notices[:500],
            "decide": notices.filter(issue__awaiting_decision=True),
            "today": timezone.localdate(),
            "courts": is_courts(user),
        },
    )


@login_required
@require_http_methods(["GET"])
def notice_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    notice = notice_get_for(user, reference)
    return render(
        request,
        "penalties/notice.html",
        {
            "notice": notice,
            "issue": notice.issue,
            "events": notice.events.select_related("actor"),
            "payments": notice.payments.all(),
            "courts": is_courts(user),
            "grounds": PenaltyNotice.WITHDRAWN_GROUNDS,
            "outcomes": [(str(value), label) for value, label in OUTCOME_LABELS.items()],
            "token": uuid.uuid4(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def notice_action(request: HttpRequest, reference: str) -> HttpResponse:
    """Record a payment, prosecute (s.444) and its outcome, or withdraw: the Courts Team and
    service admin."""
    user = _user(request)
    _courts_only(user)
    notice = notice_get_for(user, reference)
    action = request.POST.get("action")
    try:
        if action == "payment":
            pence = int(Decimal(request.POST.get("amount", "").strip() or "0") * 100)
            payment_record(
                actor=user,
                notice=notice,
                paid_on=date.fromisoformat(request.POST.get("paid_on", "")),
                amount_pence=pence,
                key=f"hand:{request.POST.get('token', '')}",
            )
            messages.success(request, "Payment recorded.")
        elif action == "prosecute":
            notice_prosecute(actor=user, notice=notice)
            messages.success(request, "Marked for prosecution under EA96 s.444.")
        elif action == "outcome":
            on = request.POST.get("outcome_on", "").strip()
            notice_prosecution_outcome(
                actor=user,
                notice=notice,
                outcome=request.POST.get("outcome", ""),
                on=date.fromisoformat(on) if on else None,
            )
            messages.success(request, "Outcome of the prosecution recorded.")
        elif action == "withdraw":
            notice_withdraw(actor=user, notice=notice, ground=request.POST.get("ground", ""))
            messages.success(request, "Notice withdrawn.")
        else:
            raise ApplicationError("Choose an action.", code="action")
    except (ApplicationError, ValueError, InvalidOperation) as error:
        messages.error(request, str(error) or "Check the values entered.")
    return redirect("penalties:notice", reference=notice.reference)


@login_required
@require_POST
def notice_letter(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    _courts_only(user)
    notice = PenaltyNotice.objects.filter(
        reference=reference, source=PenaltyNotice.Source.ISSUED
    ).first()
    if notice is None:
        raise NotFound("No such notice.")
    document = notice_letter_request(notice=notice, requested_by=user)
    return redirect("documents:progress", public_id=document.public_id)


@login_required
@require_POST
def batch(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _courts_only(user)
    on = _day(request.POST.get("on"))
    document = batch_request(on=on, requested_by=user)
    if document is None:
        messages.error(request, f"No notices were issued by post on {on:%-d %B %Y}.")
        return redirect("penalties:notices")
    return redirect("documents:progress", public_id=document.public_id)


@login_required
@require_http_methods(["GET"])
def reports(request: HttpRequest) -> HttpResponse:
    """Figures by school or district for a period; `?format=csv` downloads them."""
    user = _user(request)
    if not may_see_reports(user):
        raise NotFound("No such page.")
    today = timezone.localdate()
    start = _day(
        request.GET.get("from") or f"{today.year if today.month >= 9 else today.year - 1}-09-01"
    )
    end = _day(request.GET.get("to"))
    by = request.GET.get("by", "school")
    if by not in GROUPS:
        by = "school"
    rows = penalty_report(start=start, end=end, by=by)
    if request.GET.get("format") == "csv":
        response = HttpResponse(report_csv(rows, by=by), content_type="text/csv")
        name = f"penalty-notices-{by}-{start:%Y%m%d}-{end:%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request,
        "penalties/reports.html",
        {"rows": rows, "start": start, "end": end, "by": by, "columns": COLUMNS},
    )


@login_required
@require_http_methods(["GET", "POST"])
def improve(request: HttpRequest, urn: str, upn: str) -> HttpResponse:
    """The school issues a notice to improve from the pupil's record (DOMAIN §5)."""
    user = _user(request)
    if not user.is_school_staff:
        raise NotFound("No such page.")
    school = school_get_for(user, urn)
    pupil = pupil_list_for(user, school=school).filter(upn=upn.strip().upper()).first()
    if pupil is None:
        raise NotFound("No such pupil.")
    parents = list(Parent.objects.filter(child_links__pupil=pupil).order_by("pk"))
    error = ""
    if request.method == "POST":
        parent = next((p for p in parents if str(p.pk) == request.POST.get("parent")), None)
        try:
            if parent is None:
                raise ApplicationError("Choose a parent of this pupil.", code="parent")
            improvement = notice_to_improve_issue(
                actor=user,
                school=school,
                pupil=pupil,
                parent=parent,
                on=_day(request.POST.get("on")),
                delivery=Delivery(request.POST.get("delivery", Delivery.POST)),
                support_given=request.POST.get("support_given", ""),
                support_available=request.POST.get("support_available", ""),
            )
        except (ApplicationError, ValueError) as exc:
            error = str(exc)
        else:
            document = Document.objects.get(
                key=f"{IMPROVEMENT_KIND}:{improvement.notice.reference}"
            )
            return redirect("documents:progress", public_id=document.public_id)
    return render(
        request,
        "penalties/improve.html",
        {
            "school": school,
            "pupil": pupil,
            "parents": parents,
            "error": error,
            "today": timezone.localdate(),
            "post": request.POST,
        },
        status=400 if error else 200,
    )
