from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from kpas.site.demo_seed import DEMO_AS_OF, SeedOptions, seed_demo


class Command(BaseCommand):
    help = "Load the deterministic demo data (idempotent: does nothing if it is already there)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--small", action="store_true", help="Two schools and a few pupils (for tests)."
        )
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=DEMO_AS_OF,
            help="The last register day to generate (default %(default)s).",
        )

    def handle(self, *args: object, **options: object) -> None:
        created = seed_demo(SeedOptions(small=bool(options["small"]), as_of=options["as_of"]))  # type: ignore[arg-type]
        if not created:
            self.stdout.write("Demo data already present: nothing to do.")
            return
        self.stdout.write(
            f"Demo data loaded: {created['schools']} schools, {created['pupils']} pupils, "
            f"{created['marks']:,} register marks, {created['alerts']:,} alerts, "
            f"{created['submissions']} Digital Front Door submissions."
        )
