"""`manage.py subject_access_export UPN [--output FILE]`: everything the service holds about
one pupil, as JSON (kpas/site/subject_access.py; docs/security.md). Audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpas.site.subject_access import NoSuchPupil, subject_access_export
from kpas.site.subject_access_views import export_audit, export_json


class Command(BaseCommand):
    help = "Write everything held about one pupil (by UPN) as JSON, to a file or stdout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("upn")
        parser.add_argument("--output", help="A file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        upn = options["upn"].strip().upper()
        try:
            data = subject_access_export(upn)
        except NoSuchPupil as exc:
            raise CommandError(str(exc)) from None
        text = export_json(data)
        export_audit(None, upn, "command")
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            counts = sum(len(s["rows"]) for s in data["sections"].values())
            self.stdout.write(f"Wrote {counts} rows about {upn} to {options['output']}.")
        else:
            self.stdout.write(text)
