"""Import penalty notice history from CSV (reference,upn,parent_ref,case,issued_on,status,...)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from penalties.history_import import history_parse, history_store
from schools.imports.common import TOO_LARGE


class Command(BaseCommand):
    help = (
        "Import notices already issued by this or another authority, and notices to improve, "
        "from CSV (reference,upn,parent_ref,case,issued_on,status,...). See docs/penalties.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path of the CSV file to import")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and say what would change"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            size = path.stat().st_size
            if size > settings.MAX_IMPORT_FILE_BYTES:
                raise CommandError(
                    TOO_LARGE.format(size=size, limit=settings.MAX_IMPORT_FILE_BYTES)
                )
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        rows, errors = history_parse(
            data, today=timezone.localdate(), default_la=settings.AUTHORITY_LA_CODE
        )
        if not errors:
            outcome = history_store(rows, dry_run=options["dry_run"])
            errors = outcome.errors or []
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            raise CommandError(f"file refused: {len(errors)} error(s); nothing was imported")
        prefix = "dry run, nothing written: " if options["dry_run"] else ""
        self.stdout.write(prefix + outcome.summary())
