"""Import register marks from CSV (urn,upn,date,session,mark)."""

from schools.imports.command import ImportCommand
from schools.models import ImportBatch


class Command(ImportCommand):
    kind = ImportBatch.Kind.MARKS
    help = "Import register marks from CSV (urn,upn,date,session,mark). See docs/import-formats.md."
