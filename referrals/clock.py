"""Today's date for the Digital Front Door, in one place so tests can fix it."""

from __future__ import annotations

from datetime import date

from django.utils import timezone


def today() -> date:
    return timezone.localdate()
