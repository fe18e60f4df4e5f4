"""Import schools from CSV (urn,name,phase,type,district)."""

from schools.imports.command import ImportCommand
from schools.models import ImportBatch


class Command(ImportCommand):
    kind = ImportBatch.Kind.SCHOOLS
    help = "Import schools from CSV (urn,name,phase,type,district). See docs/import-formats.md."
