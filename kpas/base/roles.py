"""The roles a user can hold, and which are school-side or authority-side."""

from django.db import models


class Role(models.TextChoices):
    HEADTEACHER = "headteacher", "Headteacher"
    SENIOR_ATTENDANCE_CHAMPION = "senior_attendance_champion", "Senior Attendance Champion"
    SCHOOL_ATTENDANCE_STAFF = "school_attendance_staff", "School attendance staff"
    ATTENDANCE_OFFICER = "attendance_officer", "KPAS attendance officer"
    EXCLUSION_ADVISER = "exclusion_adviser", "Exclusion intervention adviser"
    AREA_MANAGER = "area_manager", "Area manager"
    COURTS_TEAM = "courts_team", "Courts Team"
    CME_TEAM = "cme_team", "Children missing education team"
    EHE_TEAM = "ehe_team", "Elective home education team"
    SERVICE_ADMIN = "service_admin", "Service administrator"


SCHOOL_ROLES = frozenset(
    {Role.HEADTEACHER, Role.SENIOR_ATTENDANCE_CHAMPION, Role.SCHOOL_ATTENDANCE_STAFF}
)
LINKED_OFFICER_ROLES = frozenset({Role.ATTENDANCE_OFFICER, Role.EXCLUSION_ADVISER})
# Central teams whose function covers every school in the authority.
COUNTYWIDE_ROLES = frozenset({Role.COURTS_TEAM, Role.CME_TEAM, Role.EHE_TEAM, Role.SERVICE_ADMIN})
AUTHORITY_ROLES = LINKED_OFFICER_ROLES | COUNTYWIDE_ROLES | {Role.AREA_MANAGER}
