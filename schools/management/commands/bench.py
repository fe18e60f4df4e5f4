import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from kpas.base.models import District
from kpas.base.structure import authority_structure_load
from schools.benchmark.county import BenchConfig, county_drop
from schools.benchmark.run import run
from schools.imports.services import import_run


class Command(BaseCommand):
    help = (
        "County-scale benchmark on PostgreSQL: builds a synthetic county (600 schools, "
        "250,000 pupils, a school year of marks) and prints the timings as JSON. "
        "Use an empty database: DATABASE_URL=postgres://.../kpas_bench"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--schools", type=int, default=600)
        parser.add_argument("--pupils", type=int, default=250_000)
        parser.add_argument(
            "--workers", type=int, default=2, help="Processes sharing the nightly evaluation."
        )
        parser.add_argument(
            "--reuse", action="store_true", help="Measure against a county built by an earlier run."
        )
        parser.add_argument(
            "--drop", action="store_true", help="Remove the synthetic county afterwards."
        )
        parser.add_argument(
            "--work-dir",
            type=Path,
            default=None,
            help="Where the day's CSV files are written (default: temp).",
        )

    def handle(self, *args: object, **options: object) -> None:
        if connection.vendor != "postgresql" or not settings.REDIS_URL:
            raise CommandError(
                "The benchmark runs on PostgreSQL and Redis: set DATABASE_URL and REDIS_URL."
            )
        if not District.objects.exists():
            authority_structure_load()
        config = BenchConfig(
            schools=options["schools"],
            pupils=options["pupils"],  # type: ignore[arg-type]
            reuse=bool(options["reuse"]),
            workers=options["workers"],  # type: ignore[arg-type]
        )
        if options["work_dir"]:
            config.work_dir = options["work_dir"]  # type: ignore[assignment]
        try:
            figures = run(
                config, import_marks=lambda path: import_run(kind="marks", file_path=path)
            )
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        finally:
            if options["drop"]:
                county_drop()
        self.stdout.write(json.dumps(figures, indent=2, default=str))
