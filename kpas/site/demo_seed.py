"""Deterministic demo data: Kent's structure, ~20 schools, a few thousand pupils, their
parents, enrolments, term dates and register marks with Kent's published code mix.

Idempotent: a second run finds the demo already there and changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.db import transaction
from stdnum.gb import upn as upn_check

from kpas.base.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SCHOOL_URN
from kpas.base.models import Area, District, User
from kpas.base.roles import SCHOOL_ROLES, Role
from kpas.base.structure import authority_structure_load
from referrals.demo import demo_submissions_create
from schools.benchmark.synthetic import code_mix, generate_year, pupil_absence_propensities
from schools.calendar import academic_year_bounds, academic_year_of
from schools.codes import CODE_BY_ORDINAL
from schools.demo_moves import demo_moved_pupil_create
from schools.evaluation import evaluate_school
from schools.models import (
    Enrolment,
    Parent,
    Pupil,
    PupilParent,
    School,
    SchoolMembership,
    TermDate,
)
from schools.projections import projections_rebuild
from schools.register_store import marks_bulk_insert
from schools.school_calendar import calendars_for_schools

SEED = 20260901
DEMO_AS_OF = date(2026, 11, 20)  # the last register day in the demo (a Friday)
KENT_LA = "886"

# Kent's term dates pattern for 2025/26 and 2026/27 (demo values): (start, end) of each
# half term; everything between is holiday.
DEMO_TERMS: tuple[tuple[date, date], ...] = (
    (date(2025, 9, 3), date(2025, 10, 24)),
    (date(2025, 11, 3), date(2025, 12, 19)),
    (date(2026, 1, 5), date(2026, 2, 13)),
    (date(2026, 2, 23), date(2026, 3, 27)),
    (date(2026, 4, 13), date(2026, 5, 22)),
    (date(2026, 6, 1), date(2026, 7, 22)),
    (date(2026, 9, 2), date(2026, 10, 23)),
    (date(2026, 11, 2), date(2026, 12, 18)),
    (date(2027, 1, 4), date(2027, 2, 12)),
    (date(2027, 2, 22), date(2027, 3, 26)),
    (date(2027, 4, 12), date(2027, 5, 28)),
    (date(2027, 6, 7), date(2027, 7, 21)),
)


@dataclass(frozen=True)
class DemoSchool:
    urn: str
    name: str
    phase: str
    school_type: str
    district: str
    pupils: int
    year_groups: tuple[str, ...]


PRIMARY_YEARS = ("R", "1", "2", "3", "4", "5", "6")
SECONDARY_YEARS = ("7", "8", "9", "10", "11")

DEMO_SCHOOLS: tuple[DemoSchool, ...] = (
    DemoSchool(
        DEMO_SCHOOL_URN,
        "Oakfield Primary School",
        "primary",
        "maintained",
        "Maidstone",
        210,
        PRIMARY_YEARS,
    ),
    DemoSchool(
        "118002", "Medway Valley Academy", "secondary", "academy", "Maidstone", 420, SECONDARY_YEARS
    ),
    DemoSchool(
        "118003",
        "Hop Garden Primary School",
        "primary",
        "maintained",
        "Tonbridge & Malling",
        180,
        PRIMARY_YEARS,
    ),
    DemoSchool(
        "118004",
        "Wealdview Special School",
        "special",
        "special",
        "Tunbridge Wells",
        80,
        PRIMARY_YEARS + SECONDARY_YEARS,
    ),
    DemoSchool(
        "118005",
        "Pantiles Church of England Primary",
        "primary",
        "academy",
        "Tunbridge Wells",
        150,
        PRIMARY_YEARS,
    ),
    DemoSchool(
        "118006",
        "Darent Valley Primary School",
        "primary",
        "maintained",
        "Dartford",
        200,
        PRIMARY_YEARS,
    ),
    DemoSchool(
        "118007",
        "Thameside Secondary School",
        "secondary",
        "academy",
        "Gravesham",
        380,
        SECONDARY_YEARS,
    ),
    DemoSchool(
        "118008",
        "Knole Park Primary School",
        "primary",
        "maintained",
        "Sevenoaks",
        140,
        PRIMARY_YEARS,
    ),
    DemoSchool(
        "118009", "Stour Primary Academy", "primary", "academy", "Ashford", 190, PRIMARY_YEARS
    ),
    DemoSchool(
        "118010",
        "White Cliffs Secondary Academy",
        "secondary",
        "academy",
        "Dover",
        360,
        SECONDARY_YEARS,
    ),
    DemoSchool(
        "118011", "Harbour Free School", "primary", "free", "Folkestone & Hythe", 120, PRIMARY_YEARS
    ),
    DemoSchool(
        "118012",
        "Westgate Primary School",
        "primary",
        "maintained",
        "Canterbury",
        170,
        PRIMARY_YEARS,
    ),
    DemoSchool(
        "118013",
        "Sheppey Secondary School",
        "secondary",
        "maintained",
        "Swale",
        400,
        SECONDARY_YEARS,
    ),
    DemoSchool(
        "118014",
        "Isle of Thanet Primary School",
        "primary",
        "maintained",
        "Thanet",
        160,
        PRIMARY_YEARS,
    ),
    DemoSchool(
        "118015",
        "Viking Coast Academy",
        "all_through",
        "academy",
        "Thanet",
        300,
        PRIMARY_YEARS + SECONDARY_YEARS,
    ),
    DemoSchool("118016", "Swale Learning Centre", "pru", "pru", "Swale", 40, SECONDARY_YEARS),
    DemoSchool(
        "118017",
        "Orchard Special School",
        "special",
        "special",
        "Canterbury",
        70,
        PRIMARY_YEARS + SECONDARY_YEARS,
    ),
    DemoSchool(
        "118018",
        "Ebbsfleet Primary School",
        "primary",
        "maintained",
        "Dartford",
        130,
        PRIMARY_YEARS,
    ),
    DemoSchool(
        "118019", "Godinton Primary School", "primary", "maintained", "Ashford", 150, PRIMARY_YEARS
    ),
    DemoSchool(
        "118020",
        "Romney Marsh Independent School",
        "secondary",
        "independent",
        "Folkestone & Hythe",
        90,
        SECONDARY_YEARS,
    ),
)

FORENAMES = [
    "Oliver",
    "Amelia",
    "Noah",
    "Isla",
    "Jack",
    "Ava",
    "George",
    "Mia",
    "Leo",
    "Ivy",
    "Arthur",
    "Freya",
    "Muhammad",
    "Lily",
    "Harry",
    "Florence",
    "Oscar",
    "Sophia",
    "Archie",
    "Grace",
    "Henry",
    "Willow",
    "Theo",
    "Emily",
    "Finley",
    "Ella",
    "Charlie",
    "Evie",
    "Jacob",
    "Poppy",
    "Alfie",
    "Rosie",
    "Tommy",
    "Daisy",
    "Zain",
    "Aisha",
    "Kacper",
    "Zofia",
    "Ravi",
    "Priya",
    "Tyler",
    "Chloe",
    "Kai",
    "Maya",
]
SURNAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Wright",
    "Robinson",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Khan",
    "Lewis",
    "Harris",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Nowak",
    "Kowalski",
    "Okafor",
    "Begum",
    "Singh",
    "Ali",
    "Murphy",
    "Kelly",
    "Price",
]
STREETS = [
    "High Street",
    "Station Road",
    "Church Lane",
    "London Road",
    "Mill Lane",
    "Park Road",
    "The Green",
]


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
    rng = random.Random(SEED)
    with transaction.atomic():
        authority_structure_load()
        officers = _create_officers()
        schools = _create_schools(officers, small=options.small)
        _create_term_dates(schools, rng)
        pupils = _create_pupils(schools, rng, small=options.small, as_of=options.as_of)
        marks = _create_marks(schools, as_of=options.as_of)
        demo_moved_pupil_create(schools=schools, from_urn=DEMO_SCHOOL_URN, as_of=options.as_of)
    alerts = _derive(schools, as_of=options.as_of)
    submissions = demo_submissions_create(as_of=options.as_of)
    return {
        "schools": len(schools),
        "pupils": pupils,
        "marks": marks,
        "alerts": alerts,
        "submissions": submissions,
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


def _create_schools(officers: dict[str, dict[str, User]], *, small: bool) -> list[School]:
    specs = DEMO_SCHOOLS[:2] if small else DEMO_SCHOOLS
    districts = {d.name: d for d in District.objects.select_related("area")}
    schools = []
    for index, spec in enumerate(specs):
        district = districts[spec.district]
        team = officers[district.area.name]
        schools.append(
            School.objects.create(
                urn=spec.urn,
                la_code=KENT_LA,
                estab=f"{2001 + index:04d}",
                name=spec.name,
                phase=spec.phase,
                school_type=spec.school_type,
                state_funded=spec.school_type != School.Type.INDEPENDENT,
                district=district,
                attendance_officer=team["ao"],
                exclusion_adviser=team["eia"],
            )
        )
    demo_school = schools[0]
    for account in DEMO_ACCOUNTS:
        if account.role in SCHOOL_ROLES:
            staff = _user(account.email, account.full_name, account.role)
            SchoolMembership.objects.create(user=staff, school=demo_school)
    return schools


def _create_term_dates(schools: list[School], rng: random.Random) -> None:
    TermDate.objects.bulk_create(
        TermDate(
            start=start, end=end, kind=TermDate.Kind.TERM, description="Kent term dates (demo)"
        )
        for start, end in DEMO_TERMS
    )
    closures = []
    for school in schools:  # one INSET day each autumn, on a different day per school
        inset = date(2025, 11, 3) + timedelta(days=rng.randrange(0, 5))
        closures.append(
            TermDate(
                school=school,
                start=inset,
                end=inset,
                kind=TermDate.Kind.CLOSURE,
                description="INSET day",
            )
        )
    TermDate.objects.bulk_create(closures)


def _date_of_birth(year_group: str, academic_year: int, rng: random.Random) -> date:
    """A birthday in the right cohort: Year R in year Y was born Sep (Y-5) to Aug (Y-4)."""
    offset = 0 if year_group == "R" else int(year_group)
    start = date(academic_year - 5 - offset, 9, 1)
    return start + timedelta(days=rng.randrange(365))


def _upn(school: School, serial: int) -> str:
    body = f"{KENT_LA}{school.estab}{serial // 1000 % 100:02d}{serial % 1000:03d}"
    return upn_check.calc_check_digit(body) + body


def _create_pupils(schools: list[School], rng: random.Random, *, small: bool, as_of: date) -> int:
    current_year = academic_year_of(as_of)
    specs = {spec.urn: spec for spec in DEMO_SCHOOLS}
    pupils: list[Pupil] = []
    placements: list[tuple[int, School, str]] = []  # pupil index, school, year group
    for school in schools:
        spec = specs[school.urn]
        count = 12 if small else spec.pupils
        for serial in range(count):
            year_group = spec.year_groups[serial % len(spec.year_groups)]
            pupils.append(_new_pupil(school, serial, year_group, current_year, rng))
            placements.append((len(pupils) - 1, school, year_group))
    Pupil.objects.bulk_create(pupils, batch_size=2000)
    pupils = list(Pupil.objects.order_by("id"))  # ids on every backend

    previous_year_start, _ = academic_year_bounds(current_year - 1)
    current_year_start, _ = academic_year_bounds(current_year)
    enrolments, parents, links = [], [], []
    for index, school, year_group in placements:
        pupil = pupils[index]
        new_this_year = year_group in {"R", "7"}
        start = current_year_start if new_this_year else previous_year_start
        enrolments.append(
            Enrolment(
                pupil=pupil,
                school=school,
                year_group=year_group,
                start_date=start + timedelta(days=31),
            )
        )
        for priority in range(1 + (rng.random() < 0.6)):
            parents.append(
                Parent(
                    title=rng.choice(("Ms", "Mr", "Mrs", "Mx")),
                    forename=rng.choice(FORENAMES),
                    surname=pupil.surname,
                    address_line_1=pupil.address_line_1,
                    town=pupil.town,
                    postcode=pupil.postcode,
                    phone=f"07700 9{rng.randrange(10000, 99999)}",
                    email=f"parent{index}-{priority}@example.com",
                )
            )
            links.append((pupil, priority + 1))
    Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    Parent.objects.bulk_create(parents, batch_size=2000)
    parents = list(Parent.objects.order_by("id"))
    PupilParent.objects.bulk_create(
        (
            PupilParent(
                pupil=pupil,
                parent=parent,
                contact_priority=priority,
                relationship="Parent",
                lives_with_pupil=priority == 1 or rng.random() < 0.7,
            )
            for parent, (pupil, priority) in zip(parents, links, strict=True)
        ),
        batch_size=2000,
    )
    return len(pupils)


def _new_pupil(
    school: School, serial: int, year_group: str, current_year: int, rng: random.Random
) -> Pupil:
    special = school.phase == School.Phase.SPECIAL
    return Pupil(
        upn=_upn(school, serial),
        forename=rng.choice(FORENAMES),
        surname=rng.choice(SURNAMES),
        date_of_birth=_date_of_birth(year_group, current_year, rng),
        gender=rng.choice("FM"),
        address_line_1=f"{rng.randrange(1, 200)} {rng.choice(STREETS)}",
        town=school.district.name,
        postcode=f"ME{rng.randrange(1, 20)} {rng.randrange(1, 9)}AB",
        fsm=rng.random() < 0.25,
        sen_support=not special and rng.random() < 0.13,
        ehcp=special or rng.random() < 0.03,
        eal=rng.random() < 0.15,
        child_in_care=rng.random() < 0.008,
        social_worker=rng.random() < 0.05,
        previously_looked_after=rng.random() < 0.01,
        grt=rng.random() < 0.006,
        known_to_early_help=rng.random() < 0.04,
    )


def _create_marks(schools: list[School], *, as_of: date) -> int:
    """The previous school year in full and this year up to `as_of`, per school."""
    current_year = academic_year_of(as_of)
    years = [current_year - 1, current_year]
    calendars = calendars_for_schools([s.pk for s in schools], years)
    rng = np.random.default_rng(SEED)
    total = 0
    for school in schools:
        enrolments = list(
            Enrolment.objects.filter(school=school)
            .order_by("pupil_id")
            .values_list("pupil_id", "start_date")
        )
        pupil_ids = np.array([pupil_id for pupil_id, _ in enrolments], dtype=np.int64)
        starts = [start for _, start in enrolments]
        mix = code_mix("Kent", school.phase)
        propensity = pupil_absence_propensities(rng, len(pupil_ids), mix.absence_rate)
        for year in years:
            year_start, year_end = academic_year_bounds(year)
            days = calendars[school.pk].school_days_between(year_start, min(year_end, as_of))
            if not days:
                continue
            offsets = np.array([(d - year_start).days for d in days], dtype=np.int64)
            codes = generate_year(rng, mix=mix, day_offsets=offsets, propensity=propensity)
            total += marks_bulk_insert(
                _rows(school.pk, pupil_ids, starts, codes, year_start),
                years=[year],
            )
    return total


def _rows(
    school_id: int, pupil_ids: np.ndarray, starts: list[date], codes: np.ndarray, year_start: date
):  # type: ignore[no-untyped-def]
    """Mark rows for one school-year, from each pupil's enrolment start onwards."""
    pupil_index, slots = np.nonzero(codes)
    ordinals = codes[pupil_index, slots]
    code_of = CODE_BY_ORDINAL
    for i, slot, ordinal in zip(
        pupil_index.tolist(), slots.tolist(), ordinals.tolist(), strict=True
    ):
        day = year_start + timedelta(days=slot >> 1)
        if day >= starts[i]:
            yield (school_id, int(pupil_ids[i]), day, slot & 1, code_of[ordinal])
