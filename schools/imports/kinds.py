"""The schools app's own kinds of file, entered in the import registry from its AppConfig."""

from __future__ import annotations

from schools.import_registry import ImportKind, Uploaders, import_kind_register
from schools.imports.calendar_csv import CalendarImport
from schools.imports.ctf_apply import CtfImport
from schools.imports.marks_csv import MarksImport
from schools.imports.pupils_csv import PupilsImport
from schools.imports.schools_csv import SchoolsImport
from schools.models import ImportBatch

Kind = ImportBatch.Kind

SCHOOL_IMPORT_KINDS = (
    ImportKind(
        kind=Kind.MARKS,
        label=Kind.MARKS.label,
        prepare=MarksImport,
        uploaders=Uploaders.SCHOOL,
        hint="CSV with the columns urn, upn, date, session, mark: one row per pupil and session",
    ),
    ImportKind(
        kind=Kind.PUPILS,
        label=Kind.PUPILS.label,
        prepare=PupilsImport,
        uploaders=Uploaders.SCHOOL,
        hint="CSV of pupils on roll, with their enrolment at the school",
    ),
    ImportKind(
        kind=Kind.CTF,
        label=Kind.CTF.label,
        prepare=CtfImport,
        uploaders=Uploaders.SCHOOL,
        file_type="xml",
        hint="The DfE Common Transfer File your MIS exports (XML)",
    ),
    ImportKind(
        kind=Kind.CALENDAR,
        label=Kind.CALENDAR.label,
        prepare=CalendarImport,
        uploaders=Uploaders.AUTHORITY,
        hint="CSV of term dates and closures (the authority's, or one school's)",
    ),
    ImportKind(
        kind=Kind.SCHOOLS,
        label=Kind.SCHOOLS.label,
        prepare=SchoolsImport,
        uploaders=Uploaders.AUTHORITY,
        hint="CSV of schools: URN, name, phase, type and district",
    ),
)


def register_school_import_kinds() -> None:
    for entry in SCHOOL_IMPORT_KINDS:
        import_kind_register(entry)
