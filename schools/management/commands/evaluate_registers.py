from datetime import date

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from schools.evaluation import evaluate_school
from schools.models import School
from schools.register_tasks import evaluate_schools_queue


class Command(BaseCommand):
    help = (
        "Evaluate every pupil's register (thresholds, PA/SA, returns, overdue N codes) and "
        "record what is new as alerts. Idempotent. --queue sends one Celery task per school."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help="Evaluate at the end of this day (default: today).",
        )
        parser.add_argument("--school", metavar="URN", help="Only this school.")
        parser.add_argument("--urn-prefix", default="", help="Only schools whose URN starts so.")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Fan out to the Celery workers instead of running here.",
        )

    def handle(self, *args: object, **options: object) -> None:
        as_of: date = options["as_of"] or timezone.localdate()  # type: ignore[assignment]
        schools = School.objects.order_by("urn")
        if options["school"]:
            schools = schools.filter(urn=options["school"])
        if options["urn_prefix"]:
            schools = schools.filter(urn__startswith=options["urn_prefix"])
        school_ids = list(schools.values_list("pk", flat=True))
        if options["queue"]:
            evaluate_schools_queue(school_ids=school_ids, as_of=as_of)
            self.stdout.write(f"Queued {len(school_ids)} school evaluations for {as_of}.")
            return
        raised = cleared = pupils = 0
        for school_id in school_ids:
            result = evaluate_school(school_id=school_id, as_of=as_of)
            raised, cleared, pupils = (
                raised + result.raised,
                cleared + result.cleared,
                pupils + result.pupils,
            )
        self.stdout.write(
            f"Evaluated {pupils:,} pupils in {len(school_ids)} schools as of {as_of}: "
            f"{raised:,} alerts raised, {cleared:,} cleared."
        )
