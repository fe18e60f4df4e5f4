"""The off-rolling demo: register facts from which the real nightly task
(returns.offrolling_signals) finds one signal of each kind the DFD's deletion returns do not
give by themselves. Called by the demo seed after the register is loaded and before the
projections and alerts are derived (kpas/site/demo_seed.py):

- (a) a pupil of the second school (Years 3-5 or 8-10) taken off roll five weeks ago, with
  no return;
- (c) and (a) a pupil taken off a special school's roll with no return recording the
  authority's agreement (the full demo's Wealdview Special School; the small demo has none);
- (d) a pupil still on the second school's roll whose marks stop three weeks ago;
- (e) a lost-pupil CTF (XXX/XXXX) through the import service, for a pupil of the second
  school who left four weeks ago, received with the seed, so well over 15 school days after.
  The same pupil's deletion return is sent without an account by referrals.demo.deletions,
  giving (b).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from schools.calendar import academic_year_of
from schools.imports.ctf import LOST_PUPIL_ESTAB, LOST_PUPIL_LEA
from schools.imports.services import import_run
from schools.models import Enrolment, ImportBatch, Mark, Pupil, School
from schools.school_age import is_compulsory_school_age
from schools.school_calendar import calendar_for_school

DEMO_SOURCE = "demo"


@dataclass(frozen=True)
class OffRollingDemo:
    unreturned: Pupil | None  # (a)
    special_leaver: Pupil | None  # (c)
    stopped: Pupil | None  # (d)
    lost: Pupil | None  # (e), and (b) once referrals' demo sends its deletion return
    lost_school: School | None


def _days_back(school: School, as_of: date, n: int) -> date:
    return calendar_for_school(school.pk, [academic_year_of(as_of)]).add_school_days(as_of, -n)


def _pick(school: School, as_of: date, skip: set[int], years: tuple[str, ...]) -> Enrolment | None:
    for enrolment in (
        Enrolment.objects.filter(
            school=school, end_date__isnull=True, year_group__in=years,
            pupil__child_in_care=False,
        )
        .exclude(pupil_id__in=skip)
        .select_related("pupil")
        .order_by("-pupil_id")  # the last imported: other demos choose from the first
    ):  # fmt: skip
        if is_compulsory_school_age(enrolment.pupil.date_of_birth, as_of):
            return enrolment
    return None


def _take_off_roll(enrolment: Enrolment, left_on: date) -> Pupil:
    """As the school's MIS would send it: the enrolment ends and no marks follow."""
    Enrolment.objects.filter(pk=enrolment.pk).update(end_date=left_on)
    Mark.objects.filter(school=enrolment.school, pupil=enrolment.pupil, date__gt=left_on).delete()
    return enrolment.pupil


def _import(kind: str, data: bytes, filename: str, *, school: School) -> None:
    """As the school's own upload: the file is the school's, its page open to its officers."""
    result = import_run(
        kind=kind, data=data, filename=filename, school=school, source=DEMO_SOURCE,
        follow_up=False,
    )  # fmt: skip
    if result.status == ImportBatch.Status.REJECTED:
        raise RuntimeError(f"the off-rolling demo's {kind} file was refused: {result.errors[:3]}")


def _special_school(schools: list[School]) -> School | None:
    return next((s for s in schools if School.Type.SPECIAL in (s.school_type, s.phase)), None)


def _lost_pupil_ctf(school: School, pupil: Pupil, entry: date, left_on: date) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<CTfile><Header>'
        "<DocumentName>Common Transfer File</DocumentName><CTFversion>25.0</CTFversion>"
        f"<SourceSchool><LEA>{school.la_code}</LEA><Estab>{school.estab}</Estab>"
        f"<URN>{school.urn}</URN><SchoolName>{escape(school.name)}</SchoolName></SourceSchool>"
        f"<DestSchool><LEA>{LOST_PUPIL_LEA}</LEA><Estab>{LOST_PUPIL_ESTAB}</Estab></DestSchool>"
        "</Header><CTFpupilData><Pupil>"
        f"<UPN>{pupil.upn}</UPN><Surname>{escape(pupil.surname)}</Surname>"
        f"<Forename>{escape(pupil.forename)}</Forename><DOB>{pupil.date_of_birth}</DOB>"
        f"<Sex>{pupil.gender or 'U'}</Sex>"
        f"<SchoolHistory><School><LEA>{school.la_code}</LEA><Estab>{school.estab}</Estab>"
        f"<SchoolName>{escape(school.name)}</SchoolName><EntryDate>{entry}</EntryDate>"
        f"<LeavingDate>{left_on}</LeavingDate></School></SchoolHistory>"
        "</Pupil></CTFpupilData></CTfile>"
    ).encode()


def demo_offrolling_register(
    *, schools: list[School], as_of: date, skip: Iterable[int] = ()
) -> OffRollingDemo:
    """The register facts above. Deterministic: pupils are chosen by import order, never one
    in `skip` (pupils another demo has given a story, e.g. the penalties demo's)."""
    ordered = sorted(schools, key=lambda s: s.urn)
    if not ordered:
        return OffRollingDemo(None, None, None, None, None)
    other = ordered[min(1, len(ordered) - 1)]
    used: set[int] = set(skip)
    middle_years = ("3", "4", "5", "8", "9", "10")  # never a transition point (KSAH §22)
    unreturned = lost = stopped = special_leaver = None
    # The second school throughout: the demo school's pupils are the other demos' and the
    # front door's journeys' (its register is theirs to shape).
    if (picked := _pick(other, as_of, used, middle_years)) is not None:
        unreturned = _take_off_roll(picked, _days_back(other, as_of, 25))
        used.add(picked.pupil_id)
    # The second school: the demo school's own forms are the referrals demo's.
    if (picked := _pick(other, as_of, used, middle_years)) is not None:
        left_on = _days_back(other, as_of, 20)
        Mark.objects.filter(school=other, pupil=picked.pupil, date__gt=left_on).delete()
        ctf = _lost_pupil_ctf(other, picked.pupil, picked.start_date, left_on)
        _import(ImportBatch.Kind.CTF, ctf, "demo-lost-pupil.xml", school=other)
        lost = picked.pupil
        used.add(picked.pupil_id)
    if (picked := _pick(other, as_of, used, middle_years)) is not None:
        last = _days_back(other, as_of, 15)
        Mark.objects.filter(school=other, pupil=picked.pupil, date__gt=last).delete()
        stopped = picked.pupil
    special = _special_school(schools)
    if special and (picked := _pick(special, as_of, used, middle_years)) is not None:
        special_leaver = _take_off_roll(picked, _days_back(special, as_of, 30))
    return OffRollingDemo(unreturned, special_leaver, stopped, lost, other)
