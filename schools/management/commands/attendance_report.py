import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from schools.attendance_report import NoEnrolment, attendance_report
from schools.models import Pupil


class Command(BaseCommand):
    help = "Print one pupil's statutory attendance figures for the school year to date as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--upn", required=True, help="The pupil's UPN.")
        parser.add_argument(
            "--as-of", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)."
        )

    def handle(self, *args: object, **options: object) -> None:
        upn = str(options["upn"]).strip().upper()
        as_of: date = options["as_of"] or timezone.localdate()  # type: ignore[assignment]
        try:
            pupil = Pupil.objects.get(upn=upn)
        except Pupil.DoesNotExist:
            raise CommandError(f"No pupil with UPN {upn}.") from None
        try:
            report = attendance_report(pupil, as_of)
        except NoEnrolment as error:
            raise CommandError(str(error)) from None
        self.stdout.write(json.dumps(report, indent=2))
