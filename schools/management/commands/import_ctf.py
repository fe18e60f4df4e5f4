"""Import a DfE Common Transfer File (XML)."""

from schools.imports.command import ImportCommand
from schools.models import ImportBatch


class Command(ImportCommand):
    kind = ImportBatch.Kind.CTF
    help = "Import a DfE Common Transfer File (XML). See docs/import-formats.md."
