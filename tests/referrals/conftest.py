"""A small county for Digital Front Door tests: Kent's teams, two schools in the West area
and one in the East, their staff and linked officers, and a pupil with a known register.

`valid_answers(slug, world)` gives a complete, valid set of answers for each pathway (the
API's JSON shape), which the pathway, service and API tests vary one answer at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from kpas.base.models import District, User
from kpas.base.roles import Role
from kpas.base.structure import authority_structure_load
from referrals.context import context_for
from referrals.engine.context import Context
from referrals.models import Submission
from schools.models import Parent, Pupil, PupilParent, School, SchoolMembership
from tests.factories import SchoolFactory, UserFactory
from tests.factories.register import fill, pupil_at, school_with_terms, set_marks

TODAY = date(2025, 11, 28)  # a Friday in the autumn term of the factories' calendar


@dataclass
class World:
    school: School
    other_school: School
    east_school: School
    independent: School
    special: School
    head: User
    sac: User
    office: User
    other_head: User
    ao: User
    eia: User
    east_ao: User
    courts: User
    cme: User
    ehe: User
    admin: User
    pupil: Pupil  # on roll at `school`, compulsory school age, with a register
    other_pupil: Pupil  # on roll at `other_school`


def _staff(role: str, school: School, email: str) -> User:
    user = UserFactory(role=role, email=email)
    SchoolMembership.objects.create(user=user, school=school)
    return user


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Evidence files go to a temporary MEDIA_ROOT, never the project's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db, monkeypatch) -> World:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("referrals.clock.today", lambda: TODAY)
    authority_structure_load()
    maidstone = District.objects.get(name="Maidstone")
    canterbury = District.objects.get(name="Canterbury")
    ao = UserFactory(role=Role.ATTENDANCE_OFFICER, email="ao@example.test")
    eia = UserFactory(role=Role.EXCLUSION_ADVISER, email="eia@example.test")
    east_ao = UserFactory(role=Role.ATTENDANCE_OFFICER, email="east-ao@example.test")
    school = school_with_terms(
        urn="118001",
        name="Oakfield Primary School",
        estab="2001",
        district=maidstone,
        attendance_officer=ao,
        exclusion_adviser=eia,
    )
    other = SchoolFactory(
        urn="118002",
        name="Medway Valley Academy",
        estab="2002",
        district=maidstone,
        school_type=School.Type.ACADEMY,
        attendance_officer=ao,
        exclusion_adviser=eia,
    )
    east = SchoolFactory(
        urn="118012",
        name="Westgate Primary School",
        estab="2012",
        district=canterbury,
        attendance_officer=east_ao,
    )
    independent = SchoolFactory(
        urn="118020",
        name="Romney Marsh Independent School",
        estab="2020",
        district=maidstone,
        state_funded=False,
        school_type=School.Type.INDEPENDENT,
    )
    special = SchoolFactory(
        urn="118004",
        name="Wealdview Special School",
        estab="2004",
        district=maidstone,
        school_type=School.Type.SPECIAL,
        phase=School.Phase.SPECIAL,
    )
    pupil = pupil_at(school, born=date(2016, 1, 10))
    Pupil.objects.filter(pk=pupil.pk).update(
        address_line_1="1 High Street", town="Maidstone", postcode="ME14 1AA"
    )
    pupil.refresh_from_db()
    parent = Parent.objects.create(
        title="Ms",
        forename="Alex",
        surname="Pupil",
        address_line_1="1 High Street",
        town="Maidstone",
        postcode="ME14 1AA",
        phone="07700 900123",
    )
    PupilParent.objects.create(pupil=pupil, parent=parent, lives_with_pupil=True)
    # Present every session this autumn, except a week's holiday not authorised (10 G).
    fill(school, pupil, date(2025, 9, 3), TODAY)
    set_marks(
        school,
        pupil,
        [
            (day, session, "G")
            for day in (date(2025, 11, 17) + timedelta(days=n) for n in range(5))
            for session in (0, 1)
        ],
    )
    return World(
        school=school,
        other_school=other,
        east_school=east,
        independent=independent,
        special=special,
        head=_staff(Role.HEADTEACHER, school, "head@example.test"),
        sac=_staff(Role.SENIOR_ATTENDANCE_CHAMPION, school, "sac@example.test"),
        office=_staff(Role.SCHOOL_ATTENDANCE_STAFF, school, "office@example.test"),
        other_head=_staff(Role.HEADTEACHER, other, "other-head@example.test"),
        ao=ao,
        eia=eia,
        east_ao=east_ao,
        courts=UserFactory(role=Role.COURTS_TEAM, email="courts@example.test"),
        cme=UserFactory(role=Role.CME_TEAM, email="cme@example.test"),
        ehe=UserFactory(role=Role.EHE_TEAM, email="ehe@example.test"),
        admin=UserFactory(role=Role.SERVICE_ADMIN, email="admin@example.test"),
        pupil=pupil,
        other_pupil=pupil_at(other, born=date(2012, 5, 1)),
    )


def pupil_answers(world: World) -> dict[str, Any]:
    return {
        "upn": world.pupil.upn,
        "pupil_forename": "Test",
        "pupil_surname": "Pupil",
        "pupil_dob": "2016-01-10",
        "pupil_address": "1 High Street\nMaidstone ME14 1AA",
        "pupil_flags": ["none"],
    }


PARENTS = [{"name": "Ms Alex Pupil", "address": "1 High Street, Maidstone ME14 1AA"}]


def valid_answers(slug: str, world: World) -> dict[str, Any]:
    """A complete set of answers each pathway accepts from the school's headteacher (the
    professional request: from the linked attendance officer)."""
    pupil = pupil_answers(world)
    answers: dict[str, dict[str, Any]] = {
        "suspension-or-exclusion": {
            **pupil,
            "exclusion_type": "suspension",
            "decision_date": "2025-11-24",
            "start_date": "2025-11-25",
            "end_date": "2025-11-26",
            "sessions": 4,
            "parents_told_date": "2025-11-24",
            "reason_category": "DB",
            "reason_detail": "Disruption in lessons.",
            "public_exam": False,
        },
        "child-missing-education": {
            **pupil,
            "last_attended": "2025-11-24",
            "enquiries": ["parents", "home_visit"],
            "enquiries_found": "The family has moved.",
            "forwarding_address_known": False,
            "new_school_known": False,
            "believed_location": "unknown",
            "has_siblings": False,
            "safeguarding_concerns": False,
        },
        "attendance-or-sickness-return": {
            "pupils": [
                {
                    "upn": world.pupil.upn,
                    "return_type": "attendance",
                    "absence_from": "2025-11-03",
                    "codes": ["O"],
                    "flags": ["none"],
                }
            ],
        },
        "deletion-from-admission-register": {
            **pupil,
            "ground": "1a",
            "deletion_date": TODAY.isoformat(),
            "sao_names_school": False,
            "new_school": "Hop Garden Primary School",
            "forwarding_address_known": False,
            "parents": PARENTS,
            "emergency_phone": "07700 900982",
        },
        "formal-attendance-meeting": {
            **pupil,
            "first_date": "2025-12-01",
            "second_date": "2025-12-02",
            "time_of_day": "9:30am",
            "venue": "school",
            "led_by": "Sam Adeyemi, SAC",
            "absence_unauthorised": True,
            "enforcement_considered": True,
            "support_offered": "Weekly meetings.",
        },
        "penalty-notice": {
            **pupil,
            "head_authorises": ["yes"],
            "scenario": "leave",
            "leave_requested": True,
            "leave_from": "2025-11-17",
            "leave_to": "2025-11-21",
            "parents": [{**PARENTS[0], "previous_notices": "0"}],
            "safeguarding_concerns": False,
            "known_to_services": False,
            "equality_considered": True,
            "policy_explains": True,
        },
        "statutory-attendance-intervention": {
            **pupil,
            "part_time_timetable": False,
            "support_tried": "An attendance contract.",
            "parents_engagement": "not_engaged",
            "engagement_detail": "Missed meetings.",
            "attendance_contract": True,
            "parents": PARENTS,
        },
        "single-registration-at-a-pru": {
            **pupil,
            "criteria": ["permanently_excluded"],
            "pru_name": "Swale Learning Centre",
            "dual_start": "2025-10-01",
            "proposed_date": "2025-12-05",
            "parents_view": "They agree.",
            "why_single": "Settled at the PRU.",
        },
        "exclusion-intervention-advice": {
            **pupil,
            "topics": ["repeated_suspensions"],
            "concern": "Three suspensions.",
            "support_in_place": "A pastoral support plan.",
            "meeting_requested": False,
        },
        "part-time-timetable": {
            **pupil,
            "arrangement": "part_time",
            "reason": "health",
            "reason_detail": "After an operation.",
            "for_behaviour": False,
            "start_date": "2025-12-01",
            "proposed_end": "2026-01-30",
            "reviews": [{"date": "2025-12-15"}],
            "sessions_attended": 5,
            "timetable": "Mornings only.",
            "parental_consent": True,
            "risk_assessment": True,
        },
        "professional-request": {
            **{k: v for k, v in pupil.items() if k != "upn"},
            "school_urn": "118001",
            "request_type": "advice",
            "topic": "attendance",
            "your_service": "Early Help",
            "request_detail": "Advice on a reintegration.",
            "family_aware": True,
        },
    }
    return dict(answers[slug])


def sender_for(slug: str, world: World) -> User:
    return world.ao if slug == "professional-request" else world.head


def context(world: World, answers: dict[str, Any], user: User | None) -> Context:
    """A context as the engine sees it for a form being filled in by `user`."""
    draft = Submission(pathway="x", answers=answers)
    return context_for(draft, user=user, today=TODAY)


def mark_n(world: World, day: date) -> None:
    set_marks(world.school, world.pupil, [(day, 0, "N")])
