"""The register's demo: schools, term dates, pupils, parents, enrolments and a year and a bit
of register marks with Kent's published code mix — deterministic, and loaded through the same
import service production uses (schools.imports.services.import_run): each part is built in
memory as the CSV or CTF an authority or school would send, and imported.

The top floor (kpas/site/demo_seed.py) composes it with the structure, the accounts and the
other apps' demos.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
from stdnum.gb import upn as upn_check

from kpas.base.models import User
from schools.benchmark.synthetic import code_mix, generate_year, pupil_absence_propensities
from schools.calendar import academic_year_bounds, academic_year_of
from schools.codes import CODE_BY_ORDINAL
from schools.demo_data import (
    DEMO_AS_OF,
    DEMO_SCHOOLS,
    DEMO_TERMS,
    FORENAMES,
    KENT_LA,
    SEED,
    STREETS,
    SURNAMES,
    DemoSchool,
)
from schools.demo_edges import demo_edges_apply
from schools.imports.services import import_run
from schools.models import Enrolment, ImportBatch, School
from schools.school_calendar import calendars_for_schools

__all__ = ["DEMO_AS_OF", "DemoRegister", "demo_register_load", "demo_schools_link_officers"]

Kind = ImportBatch.Kind
DEMO_SOURCE = "demo"  # ImportBatch.source of the demo's files
IMPORT_REFUSED = "the demo's {kind} file was refused: {errors}"


@dataclass(frozen=True)
class DemoRegister:
    schools: list[School]
    pupils: int
    marks: int


class DemoImportRefused(RuntimeError):
    pass


def _import(kind: str, data: bytes, filename: str) -> dict[str, Any]:
    """One file through the production import service, as the authority's own import. The
    demo derives projections and alerts itself afterwards, so no follow-up is queued."""
    result = import_run(
        kind=kind, data=data, filename=filename, source=DEMO_SOURCE, follow_up=False
    )
    if result.status == ImportBatch.Status.REJECTED:
        raise DemoImportRefused(IMPORT_REFUSED.format(kind=kind, errors=result.errors[:5]))
    return result.counts


def _csv(header: Iterable[str], rows: Iterable[Iterable[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def demo_register_load(*, small: bool, as_of: date) -> DemoRegister:
    """Schools, calendar, pupils with enrolments, parents and marks, imported in that order."""
    rng = random.Random(SEED)
    specs = DEMO_SCHOOLS[:2] if small else DEMO_SCHOOLS
    _import(Kind.SCHOOLS, _schools_csv(specs), "demo-schools.csv")
    schools = list(School.objects.filter(urn__in=[s.urn for s in specs]).order_by("estab"))
    _import(Kind.CALENDAR, _calendar_csv(schools, rng), "demo-calendar.csv")
    people = _people(schools, rng, small=small, as_of=as_of)
    pupils = _import(Kind.PUPILS, _pupils_csv(people), "demo-pupils.csv")["pupils"]["added"]
    for school in schools:
        _import(Kind.CTF, _contacts_ctf(school, people, rng), f"demo-contacts-{school.urn}.xml")
    marks = 0
    for school, data in _marks_csvs(schools, as_of=as_of):
        marks += _import(Kind.MARKS, data, f"demo-marks-{school.urn}.csv")["marks"]["added"]
    return DemoRegister(schools=schools, pupils=pupils, marks=marks)


def demo_schools_link_officers(*, officers: Mapping[str, tuple[User, User]]) -> None:
    """Each school's linked attendance officer and exclusion adviser, by its area's name."""
    for area, (ao, eia) in officers.items():
        School.objects.filter(district__area__name=area).update(
            attendance_officer=ao, exclusion_adviser=eia
        )


# --- the files --------------------------------------------------------------------------------
def _schools_csv(specs: Iterable[DemoSchool]) -> bytes:
    return _csv(
        ("urn", "name", "phase", "type", "district", "la_code", "estab"),
        (
            (s.urn, s.name, s.phase, s.school_type, s.district, KENT_LA, f"{2001 + i:04d}")
            for i, s in enumerate(specs)
        ),
    )


def _calendar_csv(schools: list[School], rng: random.Random) -> bytes:
    rows: list[tuple[object, ...]] = [
        ("", start, end, "term", "Kent term dates (demo)") for start, end in DEMO_TERMS
    ]
    for school in schools:  # one INSET day each autumn, on a different day per school
        inset = date(2025, 11, 3) + timedelta(days=rng.randrange(0, 5))
        rows.append((school.urn, inset, inset, "closure", "INSET day"))
    return _csv(("urn", "start", "end", "kind", "description"), rows)


@dataclass
class DemoPupil:
    school: School
    year_group: str
    start: date
    values: dict[str, object]
    parents: list[dict[str, object]]


BOOLEANS = ("fsm", "sen_support", "ehcp", "eal", "child_in_care", "social_worker",
            "previously_looked_after", "grt", "known_to_early_help")  # fmt: skip
ADDRESS = ("address_line_1", "town", "postcode")


def _people(
    schools: list[School], rng: random.Random, *, small: bool, as_of: date
) -> list[DemoPupil]:
    current_year = academic_year_of(as_of)
    previous_year_start, _ = academic_year_bounds(current_year - 1)
    current_year_start, _ = academic_year_bounds(current_year)
    specs = {spec.urn: spec for spec in DEMO_SCHOOLS}
    people: list[DemoPupil] = []
    for school in schools:
        spec = specs[school.urn]
        for serial in range(12 if small else spec.pupils):
            year_group = spec.year_groups[serial % len(spec.year_groups)]
            start = current_year_start if year_group in {"R", "7"} else previous_year_start
            values = _new_pupil(school, serial, year_group, current_year, rng)
            people.append(DemoPupil(school, year_group, start + timedelta(days=31), values, []))
    for index, person in enumerate(people):
        for priority in range(1 + (rng.random() < 0.6)):
            person.parents.append(
                {
                    "title": rng.choice(("Ms", "Mr", "Mrs", "Mx")),
                    "forename": rng.choice(FORENAMES),
                    "surname": person.values["surname"],
                    "phone": f"07700 9{rng.randrange(10000, 99999)}",
                    "email": f"parent{index}-{priority}@example.com",
                    "order": priority + 1,
                }
            )
    for person in people:  # drawn in the order the links were always made
        for parent in person.parents:
            parent["lives_with"] = parent["order"] == 1 or rng.random() < 0.7
    return people


def _new_pupil(
    school: School, serial: int, year_group: str, current_year: int, rng: random.Random
) -> dict[str, object]:
    special = school.phase == School.Phase.SPECIAL
    return {
        "upn": _upn(school, serial),
        "forename": rng.choice(FORENAMES),
        "surname": rng.choice(SURNAMES),
        "date_of_birth": _date_of_birth(year_group, current_year, rng),
        "gender": rng.choice("FM"),
        "address_line_1": f"{rng.randrange(1, 200)} {rng.choice(STREETS)}",
        "town": school.district.name,
        "postcode": f"ME{rng.randrange(1, 20)} {rng.randrange(1, 9)}AB",
        "fsm": rng.random() < 0.25,
        "sen_support": not special and rng.random() < 0.13,
        "ehcp": special or rng.random() < 0.03,
        "eal": rng.random() < 0.15,
        "child_in_care": rng.random() < 0.008,
        "social_worker": rng.random() < 0.05,
        "previously_looked_after": rng.random() < 0.01,
        "grt": rng.random() < 0.006,
        "known_to_early_help": rng.random() < 0.04,
    }


def _date_of_birth(year_group: str, academic_year: int, rng: random.Random) -> date:
    """A birthday in the right cohort: Year R in year Y was born Sep (Y-5) to Aug (Y-4)."""
    offset = 0 if year_group == "R" else int(year_group)
    start = date(academic_year - 5 - offset, 9, 1)
    return start + timedelta(days=rng.randrange(365))


def _upn(school: School, serial: int) -> str:
    body = f"{KENT_LA}{school.estab}{serial // 1000 % 100:02d}{serial % 1000:03d}"
    return upn_check.calc_check_digit(body) + body


def _pupils_csv(people: list[DemoPupil]) -> bytes:
    header = ("urn", "upn", "forename", "surname", "date_of_birth", "gender", *ADDRESS,
              *BOOLEANS, "year_group", "start_date", "registration")  # fmt: skip
    return _csv(
        header,
        (
            (
                p.school.urn,
                *(p.values[c] for c in ("upn", "forename", "surname", "date_of_birth", "gender")),
                *(p.values[c] for c in ADDRESS),
                *("Y" if p.values[c] else "N" for c in BOOLEANS),
                p.year_group,
                p.start,
                "single",
            )
            for p in people
        ),
    )


def _contacts_ctf(school: School, people: list[DemoPupil], rng: random.Random) -> bytes:
    """The school's pupils' parents as a CTF would carry them (no attendance, no history)."""
    mine = [p for p in people if p.school.pk == school.pk]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<CTfile><Header>'
        "<DocumentName>Common Transfer File</DocumentName><CTFversion>25.0</CTFversion>"
        f"<SourceSchool><LEA>{school.la_code}</LEA><Estab>{school.estab}</Estab>"
        f"<URN>{school.urn}</URN><SchoolName>{escape(school.name)}</SchoolName></SourceSchool>"
        f"<DestSchool><LEA>{school.la_code}</LEA><Estab>{school.estab}</Estab></DestSchool>"
        "</Header><CTFpupilData>"
        + "".join(_ctf_pupil(p) for p in mine)
        + "</CTFpupilData></CTfile>"
    ).encode()


def _ctf_address(values: Mapping[str, object]) -> str:
    return (
        f"<AddressLines><AddressLine1>{escape(str(values['address_line_1']))}</AddressLine1>"
        f"<AddressLine3>{escape(str(values['town']))}</AddressLine3></AddressLines>"
        f"<Postcode>{values['postcode']}</Postcode>"
    )


def _ctf_pupil(person: DemoPupil) -> str:
    v = person.values
    contacts = "".join(
        f"<Contact><Order>{c['order']}</Order><Title>{c['title']}</Title>"
        f"<Surname>{escape(str(c['surname']))}</Surname><Forename>{c['forename']}</Forename>"
        "<Relationship>PAR</Relationship><Responsibility>true</Responsibility>"
        + (
            "<Address><AddressAsPupil>true</AddressAsPupil></Address>"
            if c["lives_with"]
            else f"<Address>{_ctf_address(v)}</Address>"
        )
        + f"<Phones><Phone><PhoneNo>{c['phone']}</PhoneNo></Phone></Phones>"
        f"<Email>{c['email']}</Email></Contact>"
        for c in person.parents
    )
    return (
        f"<Pupil><UPN>{v['upn']}</UPN><Surname>{escape(str(v['surname']))}</Surname>"
        f"<Forename>{escape(str(v['forename']))}</Forename><DOB>{v['date_of_birth']}</DOB>"
        f"<Sex>{v['gender']}</Sex><Address>{_ctf_address(v)}</Address>"
        f"<Contacts>{contacts}</Contacts></Pupil>"
    )


def _marks_csvs(schools: list[School], *, as_of: date) -> Iterator[tuple[School, bytes]]:
    """Per school, the previous school year in full and this year up to `as_of`, as the
    school's MIS would send them."""
    current_year = academic_year_of(as_of)
    years = [current_year - 1, current_year]
    calendars = calendars_for_schools([s.pk for s in schools], years)
    rng = np.random.default_rng(SEED)
    for school in schools:
        enrolments = list(
            Enrolment.objects.filter(school=school)
            .order_by("pupil_id")
            .values_list("pupil_id", "pupil__upn", "start_date")
        )
        upns = [upn for _, upn, _ in enrolments]
        starts = [start for _, _, start in enrolments]
        mix = code_mix("Kent", school.phase)
        propensity = pupil_absence_propensities(rng, len(upns), mix.absence_rate)
        rows: list[tuple[str, str, date, str, str]] = []
        for year in years:
            year_start, year_end = academic_year_bounds(year)
            days = calendars[school.pk].school_days_between(year_start, min(year_end, as_of))
            if not days:
                continue
            offsets = np.array([(d - year_start).days for d in days], dtype=np.int64)
            codes = generate_year(rng, mix=mix, day_offsets=offsets, propensity=propensity)
            rows.extend(_rows(school.urn, upns, starts, codes, year_start))
        rows = demo_edges_apply(school.urn, rows, as_of=as_of)
        yield school, _csv(("urn", "upn", "date", "session", "mark"), rows)


SESSIONS = ("AM", "PM")


def _rows(
    urn: str, upns: list[str], starts: list[date], codes: np.ndarray, year_start: date
) -> Iterator[tuple[str, str, date, str, str]]:
    """Mark rows for one school-year, from each pupil's enrolment start onwards."""
    pupil_index, slots = np.nonzero(codes)
    ordinals = codes[pupil_index, slots]
    for i, slot, ordinal in zip(
        pupil_index.tolist(), slots.tolist(), ordinals.tolist(), strict=True
    ):
        day = year_start + timedelta(days=slot >> 1)
        if day >= starts[i]:
            yield (urn, upns[i], day, SESSIONS[slot & 1], CODE_BY_ORDINAL[ordinal])
