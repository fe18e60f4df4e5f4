"""The returns demo: every school's entries as the nightly run leaves them, and a story for
the summer term just gone (schools compliant, late and overdue), made through the services a
school's actions call: pupils added as failing to attend regularly (reg 13) during the term,
then returned on time, late, or not at all."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from kpas.base.models import User
from returns.models import ReturnEntry
from returns.services import return_entries_sync, return_entry_add, return_sent
from schools.models import Enrolment, School, SchoolMembership

SUMMER_ADDED_ON = date(2026, 7, 1)  # during the summer term of 2025/26
STORY = ("on time", "late", "not sent")  # one school each, in URN order


def _sent_at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


@transaction.atomic
def demo_returns_create(*, schools: list[School], as_of: date) -> int:
    """Returns how many entries exist after the demo. Idempotent with the seed."""
    for school in schools:
        return_entries_sync(school_id=school.pk, as_of=as_of)
    story_schools = sorted(schools, key=lambda s: s.urn)[: len(STORY)]
    for school, outcome in zip(story_schools, STORY, strict=False):
        _summer_story(school, outcome)
    return ReturnEntry.objects.count()


def _summer_story(school: School, outcome: str) -> None:
    staff = (
        User.objects.filter(
            pk__in=SchoolMembership.objects.filter(school=school).values("user_id")
        ).first()
        or User.objects.filter(is_superuser=True).first()
    )
    enrolments = (
        Enrolment.objects.filter(school=school, start_date__lte=SUMMER_ADDED_ON)
        .select_related("pupil")
        .order_by("pupil__upn")[:2]
    )
    if staff is None:
        return
    entries = []
    for enrolment in enrolments:
        if ReturnEntry.objects.filter(
            school=school, pupil=enrolment.pupil, kind=ReturnEntry.Kind.IRREGULAR
        ).exists():
            continue
        entries.append(
            return_entry_add(
                actor=staff,
                school=school,
                pupil=enrolment.pupil,
                reason="Absent one or two days most weeks this term (demo)",
                absence_from=SUMMER_ADDED_ON - timedelta(days=30),
                as_of=SUMMER_ADDED_ON,
            )
        )
    if not entries or outcome == "not sent" or entries[0].due_on is None:
        return
    due = entries[0].due_on
    day = due - timedelta(days=2) if outcome == "on time" else due + timedelta(days=5)
    return_sent(
        school_id=school.pk,
        reference=f"DEMO-RET-{school.urn}",
        sent_at=_sent_at(day),
        pupils=[
            {
                "upn": entry.pupil.upn,
                "return_type": "attendance",
                "absence_from": entry.absence_from.isoformat() if entry.absence_from else "",
                "flags": ["none"],
            }
            for entry in entries
        ],
    )
