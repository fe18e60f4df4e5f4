"""The shared body of the `import_*` management commands."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from schools.imports.services import import_run
from schools.models import ImportBatch, School

NO_SCHOOL = "no school has URN {urn!r}"


class ImportCommand(BaseCommand):
    kind: str = ""
    help = "Import a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path of the file to import")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and print what would change, writing nothing",
        )
        parser.add_argument(
            "--school",
            metavar="URN",
            help="import as that school's own upload: every row must be that school's",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        school = None
        if options["school"]:
            school = School.objects.filter(urn=options["school"]).first()
            if school is None:
                raise CommandError(NO_SCHOOL.format(urn=options["school"]))
        try:
            result = import_run(
                kind=self.kind,
                file_path=options["file"],
                school=school,
                source="command",
                dry_run=options["dry_run"],
            )
        except OSError as exc:
            raise CommandError(f"cannot read {options['file']}: {exc.strerror}") from None
        if result.status == ImportBatch.Status.REJECTED:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(result.summary())
        self.stdout.write(result.summary())
