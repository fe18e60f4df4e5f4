"""Delete Digital Front Door drafts nobody has touched for a while (see services)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from referrals.services import ACCOUNT_DRAFT_DAYS, ANONYMOUS_DRAFT_DAYS, drafts_purge


class Command(BaseCommand):
    help = "Delete stale Digital Front Door drafts and their uploaded files."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--anonymous-days", type=int, default=ANONYMOUS_DRAFT_DAYS)
        parser.add_argument("--account-days", type=int, default=ACCOUNT_DRAFT_DAYS)

    def handle(self, *args: Any, **options: Any) -> None:
        count = drafts_purge(
            now=timezone.now(),
            anonymous_days=options["anonymous_days"],
            account_days=options["account_days"],
        )
        self.stdout.write(f"Deleted {count} stale draft{'s' if count != 1 else ''}.")
