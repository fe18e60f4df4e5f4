"""Import parents as the authority knows them (upn,parent_ref,forename,surname,...)."""

from penalties.parents_import import KIND
from schools.imports.command import ImportCommand


class Command(ImportCommand):
    kind = KIND
    help = (
        "Import parents from CSV (upn,parent_ref,forename,surname; optional title, "
        "relationship, parental_responsibility, lives_with_pupil, address, email, phone). "
        "See docs/penalties.md."
    )
