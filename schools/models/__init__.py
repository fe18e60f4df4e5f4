from schools.models.history import RecordChange
from schools.models.people import (
    Enrolment,
    Parent,
    Pupil,
    PupilParent,
    School,
    SchoolMembership,
    TermDate,
)
from schools.models.register import (
    Alert,
    ImportBatch,
    Mark,
    MarkChange,
    PupilYearRegister,
    SchoolMarkedDays,
    Session,
)

__all__ = [
    "Alert",
    "Enrolment",
    "ImportBatch",
    "Mark",
    "MarkChange",
    "Parent",
    "Pupil",
    "PupilParent",
    "PupilYearRegister",
    "RecordChange",
    "School",
    "SchoolMarkedDays",
    "SchoolMembership",
    "Session",
    "TermDate",
]
