"""The demo sign-ins `manage.py seed_demo` creates, one per role (listed in the README)."""

from __future__ import annotations

from typing import NamedTuple

from kpas.base.roles import Role

DEMO_PASSWORD = "attendance-demo-2026"
DEMO_SCHOOL_URN = "118001"  # the school the demo school staff belong to
# Every demo authority account's authenticator-app key (base32; README "Demo sign-ins"):
# add it to an app, or run `manage.py demo_totp EMAIL` for the current code.
DEMO_TOTP_SECRET = "KPAS DEMO KPAS DEMO KPAS DEMO KPAS DEMO"
DEMO_EMAIL_DOMAIN = "@demo.kpas.test"


class DemoAccount(NamedTuple):
    email: str
    full_name: str
    role: Role
    home_heading: str  # the <h1> of the home page this role lands on


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("head@demo.kpas.test", "Helen Hart", Role.HEADTEACHER, "Your school"),
    DemoAccount(
        "sac@demo.kpas.test", "Sam Adeyemi", Role.SENIOR_ATTENDANCE_CHAMPION, "Your school"
    ),
    DemoAccount(
        "office@demo.kpas.test", "Olivia Owusu", Role.SCHOOL_ATTENDANCE_STAFF, "Your school"
    ),
    DemoAccount("ao@demo.kpas.test", "Adam Okafor", Role.ATTENDANCE_OFFICER, "Your schools"),
    DemoAccount("eia@demo.kpas.test", "Erin Iqbal", Role.EXCLUSION_ADVISER, "Your schools"),
    DemoAccount("manager@demo.kpas.test", "Mona Mistry", Role.AREA_MANAGER, "Your area"),
    DemoAccount("courts@demo.kpas.test", "Colin Carter", Role.COURTS_TEAM, "Courts Team"),
    DemoAccount("cme@demo.kpas.test", "Chloe Mensah", Role.CME_TEAM, "Children missing education"),
    DemoAccount("ehe@demo.kpas.test", "Ethan Hughes", Role.EHE_TEAM, "Elective home education"),
    DemoAccount("admin@demo.kpas.test", "Ada Adams", Role.SERVICE_ADMIN, "Service administration"),
)
