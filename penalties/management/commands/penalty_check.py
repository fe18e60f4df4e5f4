"""Whether a penalty notice may be issued to one parent for one child, as JSON (DOMAIN §5)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from penalties.selectors import UnknownParent, penalty_check
from penalties.vocabulary import PENALTY_CASES, Delivery
from schools.attendance_report import NoEnrolment
from schools.models import Pupil


class Command(BaseCommand):
    help = (
        "Print the penalty notice decision for one pupil, one parent, one case and a proposed "
        "date of issue as one JSON object. See docs/penalties.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--upn", required=True, help="the pupil's UPN")
        parser.add_argument("--parent", required=True, help="the parent's person reference")
        parser.add_argument("--case", required=True, choices=[str(c) for c in PENALTY_CASES])
        parser.add_argument(
            "--on",
            required=True,
            type=date.fromisoformat,
            help="proposed date of issue (posting), YYYY-MM-DD",
        )
        parser.add_argument(
            "--delivery", choices=[str(d) for d in Delivery], default=Delivery.POST.value
        )
        parser.add_argument(
            "--seen-on",
            type=date.fromisoformat,
            default=None,
            help="the day the pupil was seen in a public place (exclusion only), YYYY-MM-DD",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        upn = str(options["upn"]).strip().upper()
        pupil = Pupil.objects.filter(upn=upn).first()
        if pupil is None:
            raise CommandError(f"No pupil with UPN {upn}.")
        try:
            result = penalty_check(
                pupil=pupil,
                parent_ref=options["parent"],
                case=options["case"],
                on=options["on"],
                delivery=options["delivery"],
                seen_on=options["seen_on"],
            )
        except (UnknownParent, NoEnrolment) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(json.dumps(result, indent=2))
