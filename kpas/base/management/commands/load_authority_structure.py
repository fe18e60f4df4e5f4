from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from kpas.base.structure import KENT_STRUCTURE, authority_structure_load


class Command(BaseCommand):
    help = "Create or update the authority's areas, districts and teams (Kent by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file",
            type=Path,
            default=KENT_STRUCTURE,
            help="A structure JSON file (see kpas/data/kent_structure.json).",
        )

    def handle(self, *args: object, **options: object) -> None:
        counts = authority_structure_load(path=options["file"])  # type: ignore[arg-type]
        self.stdout.write(
            f"{counts['areas']} areas, {counts['districts']} districts, {counts['teams']} teams"
        )
