"""Seed a database for the load test (loadtest/locustfile.py) and write its manifest.

    DJANGO_SETTINGS_MODULE=kpas.settings.local DATABASE_URL=... \
        .venv/bin/python loadtest/seed.py --schools 600 --pupils 60

Creates LOAD schools (URNs 900000 up) with pupils on roll, the current term's dates, one
school user per school (a headteacher, member of the school) with an API token for its
MIS, and writes var/loadtest/manifest.json: each school's URN, UPNs, user and token. Run it
on a database of its own, never a real one: it makes people with a known password.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kpas.settings.local")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402
from stdnum.gb import upn as upn_check  # noqa: E402

from kpas.base.models import Area, District, User  # noqa: E402
from kpas.base.roles import Role  # noqa: E402
from schools.calendar import academic_year_bounds, academic_year_of  # noqa: E402
from schools.models import Enrolment, Pupil, School, SchoolMembership, TermDate  # noqa: E402

PASSWORD = "load-test-password-not-secret"
FIRST_URN = 900000


def seed(schools: int, pupils: int) -> dict[str, object]:
    today = timezone.localdate()
    year = academic_year_of(today)
    start, end = academic_year_bounds(year)
    area, _ = Area.objects.get_or_create(name="Load")
    district, _ = District.objects.get_or_create(name="Load district", area=area)
    TermDate.objects.get_or_create(
        school=None, start=start + timedelta(days=32), end=end - timedelta(days=10), kind="term"
    )
    manifest: list[dict[str, object]] = []
    hashed = make_password(PASSWORD)  # hashed once: the same for every load user
    for n in range(schools):
        urn = str(FIRST_URN + n)
        with transaction.atomic():
            school, _ = School.objects.get_or_create(
                urn=urn,
                defaults={
                    "name": f"Load School {n}",
                    "estab": f"{2000 + n % 8000:04d}",
                    "phase": School.Phase.PRIMARY,
                    "school_type": School.Type.MAINTAINED,
                    "district": district,
                },
            )
            upns = _pupils(school, n, pupils, today)
            user, _ = User.objects.get_or_create(
                email=f"head{n}@load.example",
                defaults={"full_name": f"Head {n}", "role": Role.HEADTEACHER},
            )
            user.password = hashed
            user.save(update_fields=["password"])
            SchoolMembership.objects.get_or_create(user=user, school=school)
            token, _ = Token.objects.get_or_create(user=user)
        manifest.append({"urn": urn, "upns": upns, "email": user.email, "token": token.key})
    return {"password": PASSWORD, "today": today.isoformat(), "schools": manifest}


def _pupils(school: School, n: int, count: int, today: date) -> list[str]:
    existing = list(Pupil.objects.filter(enrolments__school=school).values_list("upn", flat=True))
    if len(existing) >= count:
        return existing[:count]
    made = []
    for i in range(len(existing), count):
        body = f"886{n:04d}{i // 1000:02d}{i % 1000:03d}"
        made.append(
            Pupil(
                upn=upn_check.calc_check_digit(body) + body,
                forename=f"Pupil{i}",
                surname=f"School{n}",
                date_of_birth=date(today.year - 8, 1 + i % 12, 1 + i % 28),
            )
        )
    Pupil.objects.bulk_create(made)
    Enrolment.objects.bulk_create(
        Enrolment(pupil=pupil, school=school, start_date=date(today.year - 2, 9, 1))
        for pupil in made
    )
    return existing + [pupil.upn for pupil in made]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=600)
    parser.add_argument("--pupils", type=int, default=60, help="pupils per school")
    args = parser.parse_args()
    manifest = seed(args.schools, args.pupils)
    folder = ROOT / "var" / "loadtest"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    print(f"{len(manifest['schools'])} schools seeded; manifest in var/loadtest/")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
