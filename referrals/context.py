"""The engine's window on the database: pupils, schools, register figures and earlier
submissions, looked up within the user's scope (`referrals.engine.Lookups`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from kpas.base.models import User
from referrals import errors
from referrals.engine import PriorSubmission, PupilLookup
from referrals.engine.context import Context
from referrals.engine.fields import format_date
from referrals.models import Submission
from referrals.return_candidates import return_candidates_for
from referrals.rules import SENT_STATUSES
from schools.calendar import SchoolCalendar, academic_year_of
from schools.models import Enrolment, Pupil, PupilParent, School
from schools.register_facts import RegisterFacts, register_facts_for
from schools.school_calendar import calendar_for_school
from schools.selectors import current_enrolment_filter, pupil_list_for, school_list_for


class RegisterLookups:
    """Implements `referrals.engine.Lookups` for one user (None: without an account)."""

    def __init__(self, user: User | None, today: date) -> None:
        self.user = user
        self.today = today

    def find_school(self, urn: str) -> School | None:
        # School names and URNs are public (Get Information about Schools).
        return School.objects.select_related("district__area").filter(urn=urn).first()

    def lookup_pupil(
        self, user: User, upn: str, school_urn: str | None, *, include_left: bool = False
    ) -> PupilLookup:
        schools = school_list_for(user)
        if school_urn:
            schools = schools.filter(urn=school_urn)
        pupil = pupil_list_for(user).filter(upn=upn).first()
        names = ", ".join(schools.values_list("name", flat=True)[:3]) or "your school"
        if pupil is None:
            return PupilLookup(error=errors.UPN_NOT_FOUND.format(upn=upn, schools=names))
        enrolments = Enrolment.objects.filter(pupil=pupil, school__in=schools).select_related(
            "school__district__area"
        )
        current = (
            enrolments.filter(current_enrolment_filter(self.today))
            .exclude(registration=Enrolment.Registration.DUAL_SUBSIDIARY)
            .first()
            or enrolments.filter(current_enrolment_filter(self.today)).first()
        )
        if current is not None:
            return PupilLookup(pupil=pupil, school=current.school)
        latest = enrolments.order_by("-start_date").first()
        if latest is None:  # on roll at another of the user's schools, not the chosen one
            return PupilLookup(
                error=errors.UPN_NOT_AT_SCHOOL.format(name=pupil.display_name, school=names)
            )
        if include_left:  # the school's register feed has already ended the enrolment
            return PupilLookup(pupil=pupil, school=latest.school)
        ended = format_date(latest.end_date.isoformat()) if latest.end_date else "an earlier date"
        return PupilLookup(
            error=errors.UPN_NOT_ON_ROLL.format(
                name=pupil.display_name, school=latest.school.name, ended=ended
            )
        )

    def register_facts(self, pupil: Pupil, school: School, today: date) -> RegisterFacts | None:
        return register_facts_for(pupil, today)

    def calendar(self, school: School) -> SchoolCalendar | None:
        year = academic_year_of(self.today)
        return calendar_for_school(school.pk, [year - 1, year, year + 1])

    def prior_submissions(
        self,
        *,
        pupil: Pupil | None,
        upn: str,
        pathway: str,
        exclude: int | None,
        school: School | None,
    ) -> list[PriorSubmission]:
        """Earlier sent submissions about the pupil. Without an account only those about the
        school the form names count, and no details are shown (see docs/dfd.md)."""
        match = Q(pupil=pupil) if pupil is not None else Q(pk__in=[])
        if upn:
            match |= Q(pupil_upn=upn)
        found = Submission.objects.filter(match, pathway=pathway, status__in=SENT_STATUSES)
        if exclude is not None:
            found = found.exclude(pk=exclude)
        if self.user is None or not self.user.is_authenticated:
            found = found.filter(school=school) if school is not None else found.none()
            return [
                PriorSubmission(
                    "", pathway, s.status, None, {}, s.closing_outcome, s.deletion_advised_on
                )
                for s in found[:5]
            ]
        return [
            PriorSubmission(
                s.reference or "",
                s.pathway,
                s.status,
                s.submitted_at.date() if s.submitted_at else None,
                s.answers,
                s.closing_outcome,
                s.deletion_advised_on,
            )
            for s in found.order_by("submitted_at")[:10]
        ]

    def parents(self, pupil: Pupil) -> list[dict[str, Any]]:
        links = (
            PupilParent.objects.filter(pupil=pupil)
            .select_related("parent")
            .order_by("contact_priority")
        )
        rows = []
        for link in links:
            parent = link.parent
            name = " ".join(p for p in (parent.title, parent.forename, parent.surname) if p)
            address = "\n".join(
                p
                for p in (
                    parent.address_line_1,
                    parent.address_line_2,
                    parent.town,
                    parent.postcode,
                )
                if p
            )
            rows.append(
                {
                    "name": name,
                    "address": address,
                    "phone": parent.phone,
                    "_lives_with": link.lives_with_pupil,
                }
            )
        return rows

    def return_candidates(self, school: School) -> list[dict[str, Any]]:
        """Pathway 3's pre-filled list (none for a sender without an account: they are the
        authority's records). See referrals.return_candidates."""
        if self.user is None:
            return []
        return return_candidates_for(school, self.today)


def user_schools(user: User | None) -> tuple[tuple[str, str], ...]:
    if user is None or not user.is_authenticated or not user.is_school_staff:
        return ()
    return tuple(
        (school.urn, f"{school.name} (URN {school.urn})")
        for school in school_list_for(user).order_by("name")
    )


def context_for(
    submission: Submission, *, user: User | None, today: date, answers: dict[str, Any] | None = None
) -> Context:
    """The context for a submission being filled in (or sent) by this user."""
    actor = user if user is not None and user.is_authenticated else None
    return Context(
        answers=dict(submission.answers if answers is None else answers),
        user=actor,
        today=today,
        lookups=RegisterLookups(actor, today),
        school=submission.school,
        pupil=submission.pupil,
        user_schools=user_schools(actor),
        submission_id=submission.pk,
        evidence_count=submission.evidence.count() if submission.pk else 0,
    )
