"""Finding the off-rolling signals, set-based over the whole county (DOMAIN §9; KSAH §22-24):
a few queries per source whatever the number of pupils, and one calendar per school involved.
The rules are in returns.offrolling_rules; the writes in returns.offrolling_services."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from returns import offrolling_rules as rules
from returns.deletion_facts import (
    CmeEnquiryFact,
    DeletionReturnFact,
    cme_completions,
    deletion_returns_since,
)
from schools.calendar import SchoolCalendar, academic_year_bounds, academic_year_of
from schools.imports.ctf import LOST_PUPIL_LEAVERS
from schools.models import Enrolment, ImportBatch, Pupil, PupilYearRegister, School
from schools.school_calendar import calendar_for_school
from schools.selectors import current_enrolment_filter

Evidence = list[dict[str, str]]


@dataclass(frozen=True)
class Found:
    kind: str
    key: str
    school_id: int
    pupil_id: int | None
    summary: str
    occurred_on: date
    evidence: Evidence = field(default_factory=list)


def stopped_appearing_school_days() -> int:
    default = rules.STOPPED_APPEARING_SCHOOL_DAYS
    return int(getattr(settings, "RETURNS_STOPPED_APPEARING_SCHOOL_DAYS", default))


def _item(label: str, value: Any, url: str = "") -> dict[str, str]:
    text = value.strftime("%-d %B %Y") if isinstance(value, date) else str(value)
    return {"label": label, "value": text, "url": url}


class _World:
    """What every source shares: schools, pupils, calendars (loaded once each)."""

    def __init__(self, today: date, returns: list[DeletionReturnFact]) -> None:
        self.today = today
        self.year = academic_year_of(today)
        self.returns = returns
        self._calendars: dict[int, SchoolCalendar] = {}
        upns = {r.upn for r in returns if r.pupil_id is None and r.upn}
        self.pupil_by_upn = dict(Pupil.objects.filter(upn__in=upns).values_list("upn", "pk"))
        self.returned: dict[tuple[int, int], list[DeletionReturnFact]] = defaultdict(list)
        for r in returns:
            pupil_id = r.pupil_id or self.pupil_by_upn.get(r.upn)
            if pupil_id is not None and r.school_id is not None:
                self.returned[(pupil_id, r.school_id)].append(r)

    def calendar(self, school_id: int) -> SchoolCalendar:
        if school_id not in self._calendars:
            years = [self.year - 1, self.year, self.year + 1]
            self._calendars[school_id] = calendar_for_school(school_id, years)
        return self._calendars[school_id]

    def pupil_url(self, urn: str, upn: str) -> str:
        return reverse("schools:pupil-detail", kwargs={"urn": urn, "upn": upn})


def _is_special(school: School) -> bool:
    return School.Type.SPECIAL in (school.school_type, school.phase)


# --- (a), (b), (c) from the deletion returns ------------------------------------------------
def _from_returns(world: _World, cme: dict[int, list[CmeEnquiryFact]]) -> Iterable[Found]:
    school_ids = {r.school_id for r in world.returns if r.school_id is not None}
    schools = School.objects.in_bulk(school_ids)
    pupil_ids = {r.pupil_id for r in world.returns if r.pupil_id is not None}
    dobs = dict(Pupil.objects.filter(pk__in=pupil_ids).values_list("pk", "date_of_birth"))
    for r in world.returns:
        school = schools.get(r.school_id) if r.school_id is not None else None
        if school is None:
            continue
        pupil_id = r.pupil_id or world.pupil_by_upn.get(r.upn)
        dob = dobs.get(pupil_id) if pupil_id is not None else None
        dob = dob or r.pupil_dob
        on = r.deletion_date or r.sent_on
        base = [
            _item("Deletion return", f"{r.reference}, sent {r.sent_on:%-d %B %Y}", r.url),
            _item("Ground", r.ground or "none given"),
            _item("Date of deletion", r.deletion_date or "not given"),
        ]
        key = f"submission:{r.source_id}"
        reason = rules.ground_problem(r.ground, dob=dob, deleted_on=r.deletion_date)
        if reason:
            evidence = [*base, _item("Date of birth", dob or "not known")]
            yield Found(rules.NO_VALID_GROUND, key, school.pk, pupil_id, reason, on, evidence)
        enquiries = cme.get(pupil_id, []) if pupil_id is not None else []
        reason = rules.cme_enquiries_incomplete(
            r.ground,
            deleted_on=r.deletion_date,
            forwarding_address_known=r.forwarding_address_known,
            complete_on=[f.complete_on for f in enquiries],
        )
        if reason:
            evidence = base + (
                [_item(f.label, f"enquiries confirmed complete {f.complete_on:%-d %B %Y}", f.url)
                 for f in enquiries]
                or [_item("CME enquiries", "none confirmed complete for this pupil")]
            )  # fmt: skip
            yield Found(rules.CME_INCOMPLETE, key, school.pk, pupil_id, reason, on, evidence)
        reason = rules.special_school_without_agreement(
            special=_is_special(school),
            dob=dob,
            deleted_on=r.deletion_date,
            ground=r.ground,
            la_agreement=r.la_agreement,
        )
        if reason:
            agreement = {True: "yes", False: "no", None: "not recorded"}[r.la_agreement]
            evidence = [*base, _item("Authority's agreement", agreement)]
            yield Found(rules.SPECIAL_NO_AGREEMENT, key, school.pk, pupil_id, reason, on, evidence)


# --- (a) and (c) from the register: enrolments ended with no deletion return ------------------
def _from_register(world: _World, since: date) -> Iterable[Found]:
    ended = list(
        Enrolment.objects.filter(end_date__gte=since, end_date__lte=world.today)
        .exclude(registration=Enrolment.Registration.DUAL_SUBSIDIARY)
        .values(
            "pk", "pupil_id", "school_id", "start_date", "end_date", "year_group",
            "pupil__upn", "pupil__date_of_birth", "school__urn", "school__school_type",
            "school__phase",
        )
    )  # fmt: skip
    later: dict[int, list[Any]] = defaultdict(list)
    for other in Enrolment.objects.filter(
        pupil_id__in={e["pupil_id"] for e in ended}, start_date__lte=world.today
    ).values("pk", "pupil_id", "school_id", "end_date"):
        later[other["pupil_id"]].append(other)
    for e in ended:
        left_on: date | None = e["end_date"]
        if left_on is None:
            continue
        elsewhere = any(
            o["pk"] != e["pk"] and (o["end_date"] is None or o["end_date"] > left_on)
            for o in later[e["pupil_id"]]
        )
        has_return = bool(world.returned.get((e["pupil_id"], e["school_id"])))
        evidence = [
            _item(
                "Pupil record",
                e["pupil__upn"],
                world.pupil_url(e["school__urn"], e["pupil__upn"]),
            ),
            _item("On roll", f"{e['start_date']:%-d %B %Y} to {e['end_date']:%-d %B %Y}"),
            _item("Year group", e["year_group"] or "not recorded"),
            _item("Deletion return from this school", "none received"),
            _item("Registered at another school since", "no"),
        ]
        key = f"enrolment:{e['pk']}"
        reason = rules.unreturned_deletion(
            dob=e["pupil__date_of_birth"],
            left_on=left_on,
            year_group=e["year_group"] or "",
            has_return=has_return,
            registered_elsewhere=elsewhere,
        )
        if reason:
            yield Found(
                rules.NO_VALID_GROUND, key, e["school_id"], e["pupil_id"], reason,
                left_on, evidence,
            )  # fmt: skip
        special = School.Type.SPECIAL in (e["school__school_type"], e["school__phase"])
        if special and not has_return and not elsewhere:
            reason = rules.special_school_without_agreement(
                special=True,
                dob=e["pupil__date_of_birth"],
                deleted_on=left_on,
                ground=None,
                la_agreement=None,
            )
            if reason and not rules.is_transition_leaver(e["year_group"] or "", left_on):
                yield Found(
                    rules.SPECIAL_NO_AGREEMENT, key, e["school_id"], e["pupil_id"], reason,
                    left_on, evidence,
                )  # fmt: skip


# --- (e) lost-pupil CTFs, and who they cover for (d) -----------------------------------------
def _lost_pupil_batches(since: date) -> list[dict[str, Any]]:
    found = []
    for batch in ImportBatch.objects.filter(
        kind=ImportBatch.Kind.CTF,
        status=ImportBatch.Status.APPLIED,
        created_at__date__gte=since,
    ).values("pk", "created_at", "counts", "school__urn"):
        leavers = (batch["counts"] or {}).get(LOST_PUPIL_LEAVERS)
        if isinstance(leavers, dict) and isinstance(leavers.get("left_on"), dict):
            found.append({**batch, "leavers": leavers})
    return found


def _late_lost_ctfs(world: _World, batches: list[dict[str, Any]]) -> Iterable[Found]:
    upns = {upn for b in batches for upn in b["leavers"]["left_on"]}
    pupils = dict(Pupil.objects.filter(upn__in=upns).values_list("upn", "pk"))
    for batch in batches:
        school_id = int(batch["leavers"]["school_id"])
        sent_on = timezone.localdate(batch["created_at"])
        # The file's page under its school, which the school's officers may open; a file
        # sent for the whole authority has a page only its administrators reach.
        urn = batch.get("school__urn")
        url = (
            reverse("schools:school-import", kwargs={"urn": urn, "batch_id": batch["pk"]})
            if urn
            else ""
        )
        for upn, left in sorted(batch["leavers"]["left_on"].items()):
            if not left:
                continue
            left_on = date.fromisoformat(left)
            taken = rules.lost_ctf_late(world.calendar(school_id), left_on=left_on, sent_on=sent_on)
            if taken is None:
                continue
            evidence = [
                _item("Lost-pupil CTF (XXX/XXXX)", f"import {batch['pk']}", url),
                _item("Pupil", upn),
                _item("Left the school (the file's school history)", left_on),
                _item("CTF received", sent_on),
                _item("School days after leaving", taken),
            ]
            yield Found(
                rules.LATE_LOST_CTF, f"ctf:{batch['pk']}:{upn}", school_id, pupils.get(upn),
                f"lost-pupil CTF sent {taken} school days after the pupil left "
                f"(more than {rules.LOST_CTF_SCHOOL_DAYS})", left_on, evidence,
            )  # fmt: skip


# --- (d) pupils on roll who stopped appearing in the register imports ------------------------
def _stopped_appearing(world: _World, batches: list[dict[str, Any]]) -> Iterable[Found]:
    n = stopped_appearing_school_days()
    years = [world.year - 1, world.year]
    latest_school = dict(
        PupilYearRegister.objects.filter(academic_year__in=years)
        .values("school_id")
        .annotate(latest=Max("last_mark_date"))
        .values_list("school_id", "latest")
    )
    last_marks = {
        (row["school_id"], row["pupil_id"]): row["latest"]
        for row in PupilYearRegister.objects.filter(academic_year__in=years)
        .values("school_id", "pupil_id")
        .annotate(latest=Max("last_mark_date"))
    }
    lost = {
        (int(b["leavers"]["school_id"]), upn) for b in batches for upn in b["leavers"]["left_on"]
    }
    on_roll = (
        Enrolment.objects.filter(current_enrolment_filter(world.today))
        .exclude(registration=Enrolment.Registration.DUAL_SUBSIDIARY)
        .values("pupil_id", "school_id", "start_date", "pupil__upn", "school__urn")
    )
    for e in on_roll.iterator():
        last = last_marks.get((e["school_id"], e["pupil_id"]))
        latest = latest_school.get(e["school_id"])
        if last is None or latest is None or last < e["start_date"]:
            continue
        latest = min(latest, world.today)
        if (latest - last).days < n:  # fewer calendar days than school days needed
            continue
        if world.returned.get((e["pupil_id"], e["school_id"])):
            continue
        if (e["school_id"], e["pupil__upn"]) in lost:
            continue
        missing = rules.stopped_appearing(
            world.calendar(e["school_id"]), last_mark=last, school_latest=latest, school_days=n
        )
        if missing is None:
            continue
        record = world.pupil_url(e["school__urn"], e["pupil__upn"])
        evidence = [
            _item("Pupil record", e["pupil__upn"], record),
            _item("Last mark in the register", last),
            _item("School's latest register day", latest),
            _item("School days since with no mark", missing),
            _item("Deletion return or lost-pupil CTF", "none received"),
        ]  # fmt: skip
        yield Found(
            rules.STOPPED_APPEARING, f"{e['school_id']}:{e['pupil_id']}:{last.isoformat()}",
            e["school_id"], e["pupil_id"],
            f"still on roll but missing from the register imports for {missing} school days",
            last, evidence,
        )  # fmt: skip


def signals_find(*, today: date) -> list[Found]:
    """Every signal that holds today, over this school year and the last."""
    since = academic_year_bounds(academic_year_of(today) - 1)[0]
    world = _World(today, deletion_returns_since(since))
    batches = _lost_pupil_batches(since)
    return [
        *_from_returns(world, cme_completions()),
        *_from_register(world, since),
        *_late_lost_ctfs(world, batches),
        *_stopped_appearing(world, batches),
    ]
