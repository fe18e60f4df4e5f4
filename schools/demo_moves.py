"""The demo's pupil who moved school (issue 10 item 1), so that the demo shows what a former
school sees: its own enrolment, marks and figures, and no current address or contacts.

A pupil of the demo school leaves at the last holiday before `as_of` and starts at another
school of the same phase after it; the family moves house at the same time. Called by the
demo seed after the register's marks exist and before the projections are derived.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from schools.calendar import academic_year_bounds, academic_year_of
from schools.models import Enrolment, Mark, Pupil, PupilParent, School
from schools.register_store import marks_bulk_insert, years_of
from schools.school_calendar import calendar_for_school

NEW_ADDRESS = ("7 Orchard Close", "TN9 1AB")
NEW_PHONE = "07700 900555"
# One morning of illness at the new school, so its figures are not all 100%.
ILL_MORNINGS = 1


def _move_dates(school: School, as_of: date) -> tuple[date, date] | None:
    """The last school day before the latest holiday up to as_of, and the first after it."""
    year = academic_year_of(as_of)
    start = academic_year_bounds(year)[0]
    days = calendar_for_school(school.pk, [year]).school_days_between(start, as_of)
    gaps = [
        (before, after)
        for before, after in pairwise(days)
        if (after - before).days > 4  # more than a weekend: a holiday
    ]
    return gaps[-1] if gaps else None


def demo_moved_pupil_create(*, schools: list[School], from_urn: str, as_of: date) -> Pupil | None:
    """Move one pupil of `from_urn` to another school of the same phase among `schools`.
    Returns the pupil, or None when the demo has no such school (the small demo)."""
    old = next((s for s in schools if s.urn == from_urn), None)
    if old is None:
        return None
    new = next((s for s in schools if s.phase == old.phase and s.pk != old.pk), None)
    dates = _move_dates(old, as_of)
    if new is None or dates is None:
        return None
    left_on, joined_on = dates
    enrolment = (
        Enrolment.objects.filter(
            school=old, end_date__isnull=True, start_date__lt=left_on, pupil__child_in_care=False
        )
        .select_related("pupil")
        .order_by("pupil__upn")
        .first()
    )
    if enrolment is None:
        return None
    pupil = enrolment.pupil
    Enrolment.objects.filter(pk=enrolment.pk).update(end_date=left_on)
    Mark.objects.filter(school=old, pupil=pupil, date__gt=left_on).delete()
    Enrolment.objects.create(
        pupil=pupil, school=new, start_date=joined_on, year_group=enrolment.year_group
    )
    days = calendar_for_school(new.pk, [academic_year_of(as_of)]).school_days_between(
        joined_on, as_of
    )
    rows = [
        (new.pk, pupil.pk, day, session, code)
        for index, day in enumerate(days)
        for session, code in (
            (0, "I" if index < ILL_MORNINGS else "/"),
            (1, "\\"),
        )
    ]
    marks_bulk_insert(rows, years=years_of(r[2] for r in rows))
    # The family moved house: the new school holds the new address and contacts.
    street, postcode = NEW_ADDRESS
    Pupil.objects.filter(pk=pupil.pk).update(
        address_line_1=street, address_line_2="", town=new.district.name, postcode=postcode
    )
    for link in PupilParent.objects.filter(pupil=pupil, lives_with_pupil=True).select_related(
        "parent"
    ):
        parent = link.parent
        parent.address_line_1, parent.address_line_2 = street, ""
        parent.town, parent.postcode, parent.phone = new.district.name, postcode, NEW_PHONE
        parent.save(update_fields=["address_line_1", "address_line_2", "town", "postcode", "phone"])
    return Pupil.objects.get(pk=pupil.pk)
