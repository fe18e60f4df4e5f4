"""Import pupils and their enrolments from CSV (urn,upn,forename,surname,date_of_birth,...)."""

from schools.imports.command import ImportCommand
from schools.models import ImportBatch


class Command(ImportCommand):
    kind = ImportBatch.Kind.PUPILS
    help = (
        "Import pupils and their enrolments from CSV (urn,upn,forename,surname,date_of_birth,"
        "...). See docs/import-formats.md."
    )
