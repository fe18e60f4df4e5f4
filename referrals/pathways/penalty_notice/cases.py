"""The three cases a penalty notice may be requested in (KSAH §15 iv, §19; DOMAIN §5), and
the conditions on them, the requester and the parents that the steps and requirements share."""

from __future__ import annotations

from kpas.base.roles import Role
from referrals.engine.definitions import AnyItem, Equals, HasRole, OneOf

LEAVE, UNAUTHORISED, PUBLIC_PLACE = "leave", "unauthorised", "public_place"
NATIONAL_FRAMEWORK = OneOf("scenario", (LEAVE, UNAUTHORISED))
HEADTEACHER = HasRole(Role.HEADTEACHER)
THIRD_NOTICE = AnyItem("parents", Equals("previous_notices", "2"))
