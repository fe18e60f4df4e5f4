from datetime import date

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from schools.calendar import academic_year_of
from schools.models import School
from schools.projections import projections_rebuild


class Command(BaseCommand):
    help = "Rebuild the register projections (totals and code arrays) from the marks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", metavar="URN", help="Only this school.")
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            metavar="YEAR",
            help="Academic year (2025 = 2025/26); repeatable. Default: all.",
        )

    def handle(self, *args: object, **options: object) -> None:
        schools = School.objects.order_by("urn")
        if options["school"]:
            schools = schools.filter(urn=options["school"])
        years = options["year"] or self._years_with_marks()
        total = 0
        for school_id in schools.values_list("pk", flat=True):
            for year in years:  # type: ignore[union-attr]
                total += projections_rebuild(school_id=school_id, academic_year=year)
        self.stdout.write(f"Rebuilt {total:,} pupil-year projections.")

    @staticmethod
    def _years_with_marks() -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT MIN(date), MAX(date) FROM schools_mark")
            first, last = cursor.fetchone()
        if first is None:
            return []

        def as_date(value):  # type: ignore[no-untyped-def]
            return value if isinstance(value, date) else date.fromisoformat(value)

        return list(range(academic_year_of(as_date(first)), academic_year_of(as_date(last)) + 1))
