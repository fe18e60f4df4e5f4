"""Deterministic demo data, composed: Kent's structure, the accounts, then each app's demo —
the register (schools/demo.py: ~20 schools, a few thousand pupils, their parents, enrolments,
term dates and marks, loaded through the production import service), derived projections
and alerts, and the Digital Front Door's submissions.

Idempotent: a second run finds the demo already there and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from kpas.base.demo_accounts import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_SCHOOL_URN,
    DEMO_TOTP_SECRET,
)
from kpas.base.models import Area, User
from kpas.base.roles import AUTHORITY_ROLES, SCHOOL_ROLES, Role
from kpas.base.structure import authority_structure_load
from kpas.site.two_factor_services import give_fixed_device
from kpas.tsm.demo import demo_meetings_propose
from penalties.demo import penalties_demo_create, penalties_demo_register
from referrals.cases.demo import demo_cases_create
from referrals.demo import demo_submissions_create
from referrals.demo.deletions import demo_deletion_without_account
from returns.demo import demo_returns_create
from returns.demo_offrolling import demo_offrolling_register
from returns.offrolling_services import offrolling_signals_refresh
from schools.calendar import academic_year_of
from schools.demo import DEMO_AS_OF, demo_register_load, demo_schools_link_officers
from schools.demo_moves import demo_moved_pupil_create
from schools.evaluation import evaluate_school
from schools.models import School, SchoolMembership
from schools.projections import projections_rebuild

__all__ = ["DEMO_AS_OF", "SeedOptions", "demo_already_seeded", "seed_demo"]


@dataclass(frozen=True)
class SeedOptions:
    small: bool = False  # two schools with a handful of pupils: for tests
    as_of: date = DEMO_AS_OF


def demo_already_seeded() -> bool:
    return School.objects.filter(urn=DEMO_SCHOOL_URN).exists()


def seed_demo(options: SeedOptions = SeedOptions()) -> dict[str, int]:
    """Create the demo world if absent. Returns what was created (empty if it was there)."""
    if demo_already_seeded():
        return {}
    with transaction.atomic():
        authority_structure_load()
        officers = _create_officers()
        register = demo_register_load(small=options.small, as_of=options.as_of)
        demo_schools_link_officers(
            officers={area: (team["ao"], team["eia"]) for area, team in officers.items()}
        )
        _link_school_staff(register.schools[0])
        # Additions to the register demo: after the register is loaded, before projections
        # and alerts are derived.
        demo_moved_pupil_create(
            schools=register.schools, from_urn=DEMO_SCHOOL_URN, as_of=options.as_of
        )
        with_holidays = penalties_demo_register(schools=register.schools, as_of=options.as_of)
        offrolling = demo_offrolling_register(
            schools=register.schools, as_of=options.as_of, skip=with_holidays
        )
    alerts = _derive(register.schools, as_of=options.as_of)
    submissions = demo_submissions_create(as_of=options.as_of)
    return_entries = demo_returns_create(schools=register.schools, as_of=options.as_of)
    meetings = demo_meetings_propose(as_of=options.as_of)  # kpas/tsm
    penalty_requests = penalties_demo_create(as_of=options.as_of)  # penalties/demo.py
    cases = demo_cases_create(as_of=options.as_of)
    submissions += demo_deletion_without_account(
        school=offrolling.lost_school, pupil=offrolling.lost, as_of=options.as_of
    )
    # The real nightly task, on the demo's last register day (returns.offrolling_signals).
    signals = offrolling_signals_refresh(today=options.as_of).created
    return {
        "schools": len(register.schools),
        "pupils": register.pupils,
        "marks": register.marks,
        "alerts": alerts,
        "submissions": submissions,
        "return_entries": return_entries,
        "meetings": meetings,
        "penalty_requests": penalty_requests,
        "cases": cases,
        "offrolling_signals": signals,
    }


def _derive(schools: list[School], *, as_of: date) -> int:
    """Projections and alerts, exactly as the nightly job would leave them."""
    current = academic_year_of(as_of)
    raised = 0
    for school in schools:
        for year in (current - 1, current):
            projections_rebuild(school_id=school.pk, academic_year=year)
        raised += evaluate_school(school_id=school.pk, as_of=as_of).raised
    return raised


def _user(email: str, full_name: str, role: Role, **extra: object) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "role": role, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        if role in AUTHORITY_ROLES or extra.get("is_staff"):
            give_fixed_device(user, DEMO_TOTP_SECRET)  # README: the demo's two-factor key
    return user


def _create_officers() -> dict[str, dict[str, User]]:
    """Per area: a manager, an attendance officer and an exclusion adviser."""
    demo = {account.role: account for account in DEMO_ACCOUNTS}
    west = Area.objects.get(name="West")
    officers: dict[str, dict[str, User]] = {}
    for area in Area.objects.all():
        slug = area.name.lower()
        if area == west:  # the demo sign-ins work in the West area
            manager = _user(
                demo[Role.AREA_MANAGER].email,
                demo[Role.AREA_MANAGER].full_name,
                Role.AREA_MANAGER,
                area=area,
            )
            ao = _user(
                demo[Role.ATTENDANCE_OFFICER].email,
                demo[Role.ATTENDANCE_OFFICER].full_name,
                Role.ATTENDANCE_OFFICER,
            )
            eia = _user(
                demo[Role.EXCLUSION_ADVISER].email,
                demo[Role.EXCLUSION_ADVISER].full_name,
                Role.EXCLUSION_ADVISER,
            )
        else:
            manager = _user(
                f"manager.{slug}@demo.kpas.test",
                f"{area.name} Area Manager",
                Role.AREA_MANAGER,
                area=area,
            )
            ao = _user(
                f"ao.{slug}@demo.kpas.test",
                f"{area.name} Attendance Officer",
                Role.ATTENDANCE_OFFICER,
            )
            eia = _user(
                f"eia.{slug}@demo.kpas.test",
                f"{area.name} Exclusion Adviser",
                Role.EXCLUSION_ADVISER,
            )
        officers[area.name] = {"manager": manager, "ao": ao, "eia": eia}
    for account in DEMO_ACCOUNTS:
        if account.role in {Role.COURTS_TEAM, Role.CME_TEAM, Role.EHE_TEAM}:
            _user(account.email, account.full_name, account.role)
        elif account.role == Role.SERVICE_ADMIN:
            admin = _user(account.email, account.full_name, account.role)
            admin.is_staff = admin.is_superuser = True
            admin.save(update_fields=["is_staff", "is_superuser"])
    return officers


def _link_school_staff(school: School) -> None:
    """The demo's school sign-ins work at the first demo school."""
    for account in DEMO_ACCOUNTS:
        if account.role in SCHOOL_ROLES:
            staff = _user(account.email, account.full_name, account.role)
            SchoolMembership.objects.create(user=staff, school=school)
