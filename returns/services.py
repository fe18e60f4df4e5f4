"""Writes for statutory returns (reg 13; KSAH §24): return entries from the nightly
evaluation's return alerts, the school's own decisions, and the DFD's hand-down of a sent
return. Set-based per school: a handful of queries whatever the number of pupils."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kpas.base.audit import AuditAction, audit_record
from kpas.base.errors import ApplicationError
from kpas.base.models import User
from returns import rules
from returns.models import ReturnEntry, ReturnPeriod
from schools.calendar import SchoolCalendar, academic_year_of
from schools.models import Alert, Pupil, School
from schools.school_calendar import calendar_for_school

NOT_NEEDED_REASON_REQUIRED = "Say why this pupil does not need a return"
IRREGULAR_REASON_REQUIRED = "Say why this pupil fails to attend regularly"
ALREADY_LISTED = "This pupil is already listed for a return from that date"
NOT_DUE = "Only a pupil still to be returned can be marked as not needing a return"


# --- LA settings (DOMAIN §8 [LA setting]; Kent's defaults) -----------------------------------
def return_cycle() -> str:
    return str(getattr(settings, "RETURNS_CYCLE", rules.TERMLY))


def return_due_school_days() -> int:
    return int(getattr(settings, "RETURNS_DUE_SCHOOL_DAYS", rules.RETURN_DUE_SCHOOL_DAYS))


def without_delay_school_days() -> int:
    default = rules.WITHOUT_DELAY_SCHOOL_DAYS
    return int(getattr(settings, "RETURNS_WITHOUT_DELAY_SCHOOL_DAYS", default))


def school_return_calendar(school_id: int, as_of: date) -> SchoolCalendar:
    year = academic_year_of(as_of)
    return calendar_for_school(school_id, [year - 1, year, year + 1])


# --- return periods ------------------------------------------------------------------------
def return_periods_ensure(
    *, school_id: int, calendar: SchoolCalendar, days: Iterable[date]
) -> dict[date, ReturnPeriod]:
    """The period holding each day (created when missing; a due date filled in once the next
    term's dates are known). Returns {day: period}; days before the calendar are left out."""
    cycle, due_days = return_cycle(), return_due_school_days()
    spans: dict[date, rules.ReturnPeriodSpan] = {}
    for day in set(days):
        span = rules.return_period_for(calendar, day, cycle=cycle, due_school_days=due_days)
        if span is not None:
            spans[day] = span
    by_start: dict[date, ReturnPeriod] = {
        period.starts: period
        for period in ReturnPeriod.objects.filter(
            school_id=school_id, cycle=cycle, starts__in={s.starts for s in spans.values()}
        )
    }
    for span in {s.starts: s for s in spans.values()}.values():
        period = by_start.get(span.starts)
        if period is None:
            period, _ = ReturnPeriod.objects.get_or_create(
                school_id=school_id,
                cycle=cycle,
                starts=span.starts,
                defaults={"ends": span.ends, "due_on": span.due_on},
            )
            by_start[span.starts] = period
        elif (period.ends, period.due_on) != (span.ends, span.due_on):
            period.ends, period.due_on = span.ends, span.due_on
            period.save(update_fields=["ends", "due_on"])
    return {day: by_start[span.starts] for day, span in spans.items()}


# --- entries from the nightly evaluation -------------------------------------------------------
@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    kinds: dict[str, int] = field(default_factory=dict)


def _iso(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _episode(alert: Mapping[str, Any], calendar: SchoolCalendar) -> dict[str, Any] | None:
    """An entry's fields from a return alert's row (schools.evaluation writes the details)."""
    details = alert["details"] or {}
    first = _iso(details.get("from"))
    if alert["kind"] == Alert.Kind.ATTENDANCE_RETURN and first:
        met = rules.criterion_met_on(calendar, first, rules.ATTENDANCE_RETURN_SCHOOL_DAYS)
        return {
            "kind": ReturnEntry.Kind.ATTENDANCE,
            "episode_key": alert["key"],
            "absence_from": first,
            "absence_to": _iso(details.get("to")),
            "sessions": int(details.get("school_days") or 0) * 2,
            "met_on": met,
        }
    if alert["kind"] == Alert.Kind.SICKNESS_RETURN and first:
        met = rules.criterion_met_on(calendar, first, rules.SICKNESS_RETURN_SCHOOL_DAYS)
        return {
            "kind": ReturnEntry.Kind.SICKNESS_CONSECUTIVE,
            "episode_key": alert["key"],
            "absence_from": first,
            "absence_to": None,
            "sessions": int(details.get("consecutive_school_days") or 0) * 2,
            "met_on": met,
        }
    if alert["kind"] == Alert.Kind.SICKNESS_RETURN:  # 15 school days in the year in total
        return {
            "kind": ReturnEntry.Kind.SICKNESS_TOTAL,
            "episode_key": f"total:{alert['academic_year']}",
            "absence_from": None,
            "absence_to": None,
            "sessions": round(float(details.get("illness_school_days") or 0) * 2),
            "met_on": alert["raised_on"],  # the evaluation does not date the 15th day
        }
    return None


def _due_on(kind: str, met_on: date, period: ReturnPeriod | None, cal: SchoolCalendar) -> Any:
    if kind == ReturnEntry.Kind.SICKNESS_CONSECUTIVE:
        return rules.without_delay_due(cal, met_on, school_days=without_delay_school_days())
    return period.due_on if period is not None else None


@transaction.atomic
def return_entries_sync(*, school_id: int, as_of: date) -> SyncResult:
    """Turn the school's return alerts (this year and last) into return entries, one per
    episode. An entry already returned or marked not needed is never asked for again; one
    still to return follows its run as it grows. The current period is made even when empty,
    so the authority sees nil returns."""
    year = academic_year_of(as_of)
    calendar = school_return_calendar(school_id, as_of)
    alerts = list(
        Alert.objects.filter(
            school_id=school_id,
            academic_year__in=[year - 1, year],
            kind__in=[Alert.Kind.ATTENDANCE_RETURN, Alert.Kind.SICKNESS_RETURN],
        ).values("pk", "pupil_id", "kind", "key", "academic_year", "details", "raised_on")
    )
    episodes = {}
    for alert in alerts:
        fields = _episode(alert, calendar)
        if fields is not None:
            episodes[(alert["pupil_id"], fields["kind"], fields["episode_key"])] = (alert, fields)
    # One sickness return per pupil and year (DOMAIN §8): the in-total one only without a run.
    with_run = {
        (pupil, academic_year_of(fields["met_on"]))
        for (pupil, kind, _), (_, fields) in episodes.items()
        if kind == ReturnEntry.Kind.SICKNESS_CONSECUTIVE
    }
    episodes = {
        key: value
        for key, value in episodes.items()
        if key[1] != ReturnEntry.Kind.SICKNESS_TOTAL
        or (key[0], value[0]["academic_year"]) not in with_run
    }
    periods = return_periods_ensure(
        school_id=school_id,
        calendar=calendar,
        days=[as_of, *(fields["met_on"] for _, fields in episodes.values())],
    )
    existing = {
        (e.pupil_id, e.kind, e.episode_key): e
        for e in ReturnEntry.objects.filter(school_id=school_id, kind__in=[
            ReturnEntry.Kind.ATTENDANCE,
            ReturnEntry.Kind.SICKNESS_CONSECUTIVE,
            ReturnEntry.Kind.SICKNESS_TOTAL,
        ])
    }  # fmt: skip
    result = SyncResult()
    new, changed = [], []
    for key, (alert, fields) in episodes.items():
        period = periods.get(fields["met_on"])
        values = {
            **fields,
            "alert_id": alert["pk"],
            "period": period,
            "due_on": _due_on(fields["kind"], fields["met_on"], period, calendar),
        }
        entry = existing.get(key)
        if entry is None:
            new.append(ReturnEntry(school_id=school_id, pupil_id=key[0], **values))
            result.kinds[fields["kind"]] = result.kinds.get(fields["kind"], 0) + 1
        elif entry.status == ReturnEntry.Status.DUE and any(
            getattr(entry, name) != value for name, value in values.items()
        ):
            for name, value in values.items():
                setattr(entry, name, value)
            changed.append(entry)
    ReturnEntry.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    ReturnEntry.objects.bulk_update(
        changed,
        ["absence_from", "absence_to", "sessions", "met_on", "alert", "period", "due_on"],
        batch_size=1000,
    )
    result.created, result.updated = len(new), len(changed)
    return result


# --- the school's decisions ------------------------------------------------------------------
@transaction.atomic
def return_entry_add(
    *, actor: User, school: School, pupil: Pupil, reason: str, absence_from: date, as_of: date
) -> ReturnEntry:
    """The school adds a pupil who in its judgement fails to attend regularly (reg 13)."""
    if not reason.strip():
        raise ApplicationError(IRREGULAR_REASON_REQUIRED, code="reason_required")
    calendar = school_return_calendar(school.pk, as_of)
    period = return_periods_ensure(school_id=school.pk, calendar=calendar, days=[as_of]).get(as_of)
    entry, created = ReturnEntry.objects.get_or_create(
        school=school,
        pupil=pupil,
        kind=ReturnEntry.Kind.IRREGULAR,
        episode_key=absence_from.isoformat(),
        defaults={
            "absence_from": absence_from,
            "met_on": as_of,
            "period": period,
            "due_on": period.due_on if period else None,
            "reason": reason.strip(),
            "decided_by": actor,
            "decided_at": timezone.now(),
        },
    )
    if not created:
        raise ApplicationError(ALREADY_LISTED, code="already_listed")
    audit_record(actor=actor, action=AuditAction.RETURN_PUPIL_ADDED, obj=entry)
    return entry


@transaction.atomic
def return_entry_not_needed(*, actor: User, entry: ReturnEntry, reason: str) -> ReturnEntry:
    """The school decides a listed pupil needs no return; the authority sees its reason
    (DOMAIN §8: the software proposes, the school's reasonable belief decides)."""
    if not reason.strip():
        raise ApplicationError(NOT_NEEDED_REASON_REQUIRED, code="reason_required")
    entry = ReturnEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != ReturnEntry.Status.DUE:
        raise ApplicationError(NOT_DUE, code="not_due")
    entry.status = ReturnEntry.Status.NOT_NEEDED
    entry.reason, entry.decided_by, entry.decided_at = reason.strip(), actor, timezone.now()
    entry.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit_record(
        actor=actor, action=AuditAction.RETURN_NOT_NEEDED, obj=entry, detail={"reason": reason}
    )
    return entry


@transaction.atomic
def return_period_nil(*, actor: User, period: ReturnPeriod) -> ReturnPeriod:
    """The school confirms it has no pupils to return for the period."""
    period = ReturnPeriod.objects.select_for_update().get(pk=period.pk)
    if period.nil_return_on is None:
        period.nil_return_on, period.nil_return_by = timezone.now(), actor
        period.save(update_fields=["nil_return_on", "nil_return_by"])
        audit_record(actor=actor, action=AuditAction.RETURN_NIL_CONFIRMED, obj=period)
    return period


# --- the Digital Front Door hands a sent return down (pathway 3) -------------------------------
def _row_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    return _iso(value)


def _row_kind(row: dict[str, Any]) -> tuple[set[ReturnEntry.Kind], ReturnEntry.Kind, str]:
    """(kinds the row may answer, kind and key of an entry made for it) from a form row."""
    first = _row_date(row.get("absence_from"))
    day = first.isoformat() if first else ""
    if row.get("return_type") == "sickness":
        if row.get("sickness_basis") == "total":
            year = academic_year_of(first or timezone.localdate())
            total = ReturnEntry.Kind.SICKNESS_TOTAL
            return {total}, total, f"total:{year}"
        kinds = {ReturnEntry.Kind.SICKNESS_CONSECUTIVE, ReturnEntry.Kind.SICKNESS_TOTAL}
        return kinds, ReturnEntry.Kind.SICKNESS_CONSECUTIVE, f"run:{day}"
    kinds = {ReturnEntry.Kind.ATTENDANCE, ReturnEntry.Kind.IRREGULAR}
    return kinds, ReturnEntry.Kind.ATTENDANCE, day


@transaction.atomic
def return_sent(
    *, school_id: int, reference: str, sent_at: datetime, pupils: list[dict[str, Any]]
) -> int:
    """Mark the entries a sent pathway-3 return answers as returned: by the alert the form
    row came from, else the pupil's entry of that kind and first day (or the only one still to
    return). A pupil returned without an entry gets one, already returned, so the evaluation
    does not ask for that episode again. Idempotent: a second call changes nothing."""
    upns = {str(row.get("upn") or "") for row in pupils} - {""}
    pupil_ids = dict(Pupil.objects.filter(upn__in=upns).values_list("upn", "pk"))
    entries = list(
        ReturnEntry.objects.select_for_update().filter(
            school_id=school_id, pupil_id__in=pupil_ids.values()
        )
    )
    done: list[ReturnEntry] = []
    for row in pupils:
        pupil_id = pupil_ids.get(str(row.get("upn") or ""))
        if pupil_id is None:
            continue
        kinds, kind, key = _row_kind(row)
        flags = [flag for flag in row.get("flags") or [] if flag != "none"]
        alert = int(row["_alert"]) if str(row.get("_alert") or "").isdigit() else None
        first = _row_date(row.get("absence_from"))
        mine = [e for e in entries if e.pupil_id == pupil_id and e.kind in kinds]
        match = next((e for e in mine if alert and e.alert_id == alert), None)
        match = match or next((e for e in mine if first and e.absence_from == first), None)
        open_ = [e for e in mine if e.status == ReturnEntry.Status.DUE]
        match = match or (open_[0] if len(open_) == 1 else None)
        if match is None:
            match = ReturnEntry(
                school_id=school_id,
                pupil_id=pupil_id,
                kind=kind,
                episode_key=key or f"sent:{reference}",
                absence_from=first,
                absence_to=_row_date(row.get("absence_to")),
                met_on=timezone.localdate(sent_at),
            )
            entries.append(match)
        if match.status == ReturnEntry.Status.RETURNED:
            continue
        match.status, match.returned_at = ReturnEntry.Status.RETURNED, sent_at
        match.returned_reference, match.returned_flags = reference, flags
        match.save()
        done.append(match)
    if done:
        audit_record(
            actor=None,
            action=AuditAction.RETURN_SENT,
            detail={"reference": reference, "entries": [e.pk for e in done]},
        )
    return len(done)
