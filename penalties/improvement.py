"""Notices to improve (DOMAIN §5; KSAH §15 iv): issued by the school from the pupil's record,
a PDF through the documents pipeline, and its 20-school-day improvement period on the
school's calendar with, at its end, whether there was further unauthorised absence.

Its contents (DOMAIN §5): the attendance record and the offences, the benefits of attendance
and the parent's duty, the support given and still available, a clear warning, the
improvement period and what improvement means, and the grounds on which a penalty notice
may be issued before the period ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from kpas.base.audit import AuditAction, audit_record
from kpas.base.documents.registry import DocumentKind, RenderedFile, register
from kpas.base.documents.services import document_request
from kpas.base.errors import ApplicationError, NotFound
from kpas.base.models import Document, User
from kpas.base.roles import SCHOOL_ROLES
from penalties.decision import UNAUTHORISED_CODES, deemed_received
from penalties.models import NoticeToImprove, PenaltyNotice
from penalties.rules import NOTICE_TO_IMPROVE_SCHOOL_DAYS, notice_to_improve_period
from penalties.vocabulary import Case, NoticeStatus
from schools.calendar import CalendarRangeError, academic_year_of
from schools.models import Mark, Parent, Pupil, School
from schools.school_calendar import calendar_for_school
from schools.selectors import pupil_list_for, school_get_for

KIND: Final = "penalties.notice_to_improve"
TEMPLATE: Final = "penalties/notice_to_improve_pdf.html"
SUPPORT_REQUIRED: Final = "Describe the support given and the support still available."
NOT_A_PARENT: Final = "Choose a parent of this pupil."
SESSION_NAMES: Final = ("AM", "PM")


def _is_school_staff_of(user: User, school: School) -> bool:
    if not user.is_authenticated or user.role not in SCHOOL_ROLES:
        return False
    try:
        school_get_for(user, school.urn)
    except Exception:
        return False
    return True


def _period(school: School, received: date) -> tuple[date | None, date | None]:
    """Day 1 and the 20th school day on the school's calendar (DOMAIN §5); None for what the
    known term dates do not reach yet (computed again when the outcome is read)."""
    year = academic_year_of(received)
    calendar = calendar_for_school(school.pk, [year, year + 1])
    period = notice_to_improve_period(calendar, received)
    if period is not None:
        return period.first_day, period.last_day
    try:
        return calendar.add_school_days(received, 1), None
    except CalendarRangeError:
        return None, None


@transaction.atomic
def notice_to_improve_issue(
    *,
    actor: User,
    school: School,
    pupil: Pupil,
    parent: Parent,
    on: date,
    delivery: str,
    support_given: str,
    support_available: str,
) -> NoticeToImprove:
    """Issue (idempotent per school, pupil, parent and day) and queue its PDF."""
    if not _is_school_staff_of(actor, school):
        raise NotFound("No such pupil.")
    if not support_given.strip() or not support_available.strip():
        raise ApplicationError(SUPPORT_REQUIRED, code="support")
    if not parent.child_links.filter(pupil=pupil).exists():
        raise ApplicationError(NOT_A_PARENT, code="parent")
    reference = f"NTI{on:%y}-{school.urn}-{pupil.pk}-{parent.pk}-{on:%m%d}"
    existing = NoticeToImprove.objects.filter(notice__reference=reference).first()
    if existing is not None:
        return existing
    received = deemed_received(on, delivery)
    start, end = _period(school, received)
    notice = PenaltyNotice.objects.create(
        reference=reference,
        pupil=pupil,
        parent=parent,
        case=Case.NOTICE_TO_IMPROVE,
        issued_on=received,  # a notice to improve's row holds the day it was received
        status=NoticeStatus.ISSUED,
        local_authority=settings.AUTHORITY_LA_CODE,
        source=PenaltyNotice.Source.ISSUED,
    )
    improvement = NoticeToImprove.objects.create(
        notice=notice,
        school=school,
        posted_on=on,
        delivery=delivery,
        received_on=received,
        period_start=start,
        period_end=end,
        support_given=support_given.strip(),
        support_available=support_available.strip(),
        issued_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.PENALTY_NOTICE_ISSUED,
        obj=notice,
        detail={"reference": reference, "case": Case.NOTICE_TO_IMPROVE},
    )
    document_request(
        kind=KIND,
        key=f"{KIND}:{reference}",
        requested_by=actor,
        params={"improvement_id": improvement.pk, "urn": school.urn, "upn": pupil.upn},
    )
    return improvement


@dataclass(frozen=True)
class ImprovementOutcome:
    ended: bool  # the period completed (after its 20th school day), on the calendar known
    sessions: list[tuple[date, str, str]]  # G/N/O/U sessions inside the period so far

    @property
    def further_absence(self) -> bool:
        return bool(self.sessions)


def improvement_outcome(improvement: NoticeToImprove, *, today: date) -> ImprovementOutcome:
    """Whether the period has ended and the unauthorised sessions inside it (DOMAIN §5:
    scenario 2 needs at least one G/N/O/U session in the period)."""
    start, end = improvement.period_start, improvement.period_end
    if end is None:  # term dates may have arrived since it was issued
        start, end = _period(improvement.school, improvement.received_on)
    if start is None or end is None:
        return ImprovementOutcome(False, [])
    marks = Mark.objects.filter(
        school=improvement.school,
        pupil=improvement.notice.pupil,
        date__gte=start,
        date__lte=min(end, today),
        code__in=sorted(UNAUTHORISED_CODES),
    ).order_by("date", "session")
    sessions = [(m.date, SESSION_NAMES[m.session], m.code) for m in marks]
    return ImprovementOutcome(today > end, sessions)


def _record(pupil: Pupil, school: School, received: date) -> list[tuple[date, str, str]]:
    """The unauthorised sessions this school year up to receipt: the record it states."""
    start = date(academic_year_of(received), 9, 1)
    marks = Mark.objects.filter(
        school=school,
        pupil=pupil,
        date__gte=start,
        date__lte=received,
        code__in=sorted(UNAUTHORISED_CODES),
    ).order_by("date", "session")
    return [(m.date, SESSION_NAMES[m.session], m.code) for m in marks]


def _render(document: Document) -> RenderedFile:
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDFs need it

    improvement = NoticeToImprove.objects.select_related(
        "notice", "notice__pupil", "notice__parent", "school"
    ).get(pk=document.params["improvement_id"])
    notice, parent = improvement.notice, improvement.notice.parent
    html = render_to_string(
        TEMPLATE,
        {
            "i": improvement,
            "notice": notice,
            "pupil": notice.pupil,
            "school": improvement.school,
            "parent_name": " ".join(
                p for p in (parent.title, parent.forename, parent.surname) if p
            ),
            "address": [
                p
                for p in (
                    parent.address_line_1,
                    parent.address_line_2,
                    parent.town,
                    parent.postcode,
                )
                if p
            ],
            "record": _record(notice.pupil, improvement.school, improvement.received_on),
            "days": NOTICE_TO_IMPROVE_SCHOOL_DAYS,
            "authority_name": settings.AUTHORITY_NAME,
        },
    )
    pdf = bytes(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())
    return RenderedFile(f"notice-to-improve-{notice.reference}.pdf", pdf)


def _may_access(user: User, params: dict[str, Any]) -> bool:
    """The pupil's record's own scoping: school staff, officers, the Courts Team."""
    if not user.is_authenticated:
        return False
    try:
        school = school_get_for(user, params["urn"])
    except Exception:
        return False
    return pupil_list_for(user, school=school).filter(upn=params["upn"]).exists()


def register_improvement_kind() -> None:
    def back(params: dict[str, Any]) -> str:
        return reverse("schools:pupil-detail", kwargs={"urn": params["urn"], "upn": params["upn"]})

    register(DocumentKind(KIND, "Notice to improve", _render, _may_access, back))


# --- the pupil record's panel (schools/panels.py) ------------------------------------------------
def pupil_panel(*, user: Any, pupil: Any, school: Any = None, **_: Any) -> dict[str, Any] | None:
    """The notices to improve on the pupil's record, with their periods and outcomes, and
    the link to issue one (school staff only)."""
    if school is None or not getattr(user, "is_authenticated", False):
        return None
    from django.utils import timezone

    today = timezone.localdate()
    rows = NoticeToImprove.objects.filter(notice__pupil=pupil, school=school).select_related(
        "notice", "notice__parent"
    )
    return {
        "improvements": [(i, improvement_outcome(i, today=today)) for i in rows],
        # The page already scoped the school to this user: school staff there may issue.
        "may_issue": user.role in SCHOOL_ROLES,
        "issue_url": reverse("penalties:improve", kwargs={"urn": school.urn, "upn": pupil.upn}),
    }
