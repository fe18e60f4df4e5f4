"""Import term dates and closures from CSV (urn,start,end,kind)."""

from schools.imports.command import ImportCommand
from schools.models import ImportBatch


class Command(ImportCommand):
    kind = ImportBatch.Kind.CALENDAR
    help = (
        "Import term dates and closures from CSV (urn,start,end,kind). See docs/import-formats.md."
    )
