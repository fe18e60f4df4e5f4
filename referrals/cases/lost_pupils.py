"""A lost-pupil CTF opens a CME enquiry (issue 12 item 3; KSAH §22): when a school's Common
Transfer File names destination XXX/XXXX, the pupil has left for an unknown destination and
the CME team makes enquiries. Registered into the CTF import's hook (schools.lost_pupils):
for each pupil of the file the CME team holds no notification for (no CME submission still
open, no CME case still open), one CME case at the sending school, in the CME team's hands.
Idempotent: a re-sent file finds the case it opened."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from kpas.base.models import User
from kpas.base.roles import Role
from referrals.cases.models import Case
from referrals.cases.rules import CaseKind
from referrals.cases.services import case_create
from referrals.models import Submission
from referrals.pathway_names import PathwayName
from referrals.rules import Status
from schools.lost_pupils import LostPupils
from schools.models import Pupil, School

SOURCE = "a lost-pupil Common Transfer File (destination XXX/XXXX)"


def _notified(pupil_ids: tuple[int, ...]) -> set[int]:
    """Pupils the CME team already holds an open notification or case for (two queries)."""
    submitted = Submission.objects.filter(pathway=PathwayName.CME, pupil_id__in=pupil_ids).exclude(
        status__in=[Status.DRAFT, Status.CLOSED]
    )
    cased = Case.objects.filter(kind=CaseKind.CME, pupil_id__in=pupil_ids, closed_at=None)
    return set(submitted.values_list("pupil_id", flat=True)) | set(
        cased.values_list("pupil_id", flat=True)
    )


def _cme_officer() -> User | None:
    """The CME team's first active member: the enquiry lands in the team's caseload."""
    return User.objects.filter(role=Role.CME_TEAM, is_active=True).order_by("pk").first()


def cme_enquiries_for_lost_pupils(report: LostPupils, *, today: date | None = None) -> list[Case]:
    """Open a CME case for each lost pupil not yet notified to the CME team."""
    known = _notified(report.pupil_ids)
    wanted = [pk for pk in report.pupil_ids if pk not in known]
    if not wanted:
        return []
    school = School.objects.get(pk=report.school_id)
    officer = _cme_officer()
    on = today or timezone.localdate()
    written = f" written on {report.written_on:%-d %B %Y}" if report.written_on else ""
    return [
        case_create(
            actor=None,
            kind=CaseKind.CME,
            school=school,
            pupil=pupil,
            officer=officer,
            today=on,
            source=f"{SOURCE}{written}",
        )
        for pupil in Pupil.objects.filter(pk__in=wanted).order_by("pk")
    ]
