"""Pathway 3's pre-filled candidates (reg 13; KSAH §24; DOMAIN §8): who the school's
register says needs a return, as the school left the list on "Returns due".

- open attendance/sickness return alerts of pupils on roll, not yet in a sent return;
- less those the school marked as not needing a return, or already returned
  (returns.ReturnEntry, by the alert it came from or the same pupil and episode);
- plus the pupils the school added itself as failing to attend regularly (reg 13), still to
  return.

A handful of queries whatever the number of pupils (the codes of every attendance run come
from one query, not one per pupil).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from referrals.engine.fields import format_date
from referrals.models import Submission
from referrals.pathways.returns import ATTENDANCE, alert_candidate_hint, alert_candidate_row
from referrals.rules import SENT_STATUSES
from returns.models import ReturnEntry
from schools.calendar import academic_year_of
from schools.models import Alert, Enrolment, Mark, School
from schools.selectors import current_enrolment_filter

RETURNS_PATHWAY = "attendance-or-sickness-return"


def _sent_alerts(school: School) -> set[int]:
    done: set[int] = set()
    for answers in Submission.objects.filter(
        school=school, pathway=RETURNS_PATHWAY, status__in=SENT_STATUSES
    ).values_list("answers", flat=True):
        for row in (answers or {}).get("pupils") or []:
            if isinstance(row, dict) and str(row.get("_alert") or "").isdigit():
                done.add(int(row["_alert"]))
    return done


def _alert_episode_key(alert: Alert) -> str:
    key = str(alert.key)
    if alert.kind == Alert.Kind.SICKNESS_RETURN and not key.startswith("run:"):
        return f"total:{alert.academic_year}"
    return key


def _run_codes(school: School, alerts: list[Alert]) -> dict[int, list[str]]:
    """The codes each attendance alert's run holds, from one query over all their pupils."""
    runs: dict[int, tuple[int, str, str]] = {
        alert.pk: (
            alert.pupil_id,
            str((alert.details or {})["from"]),
            str((alert.details or {}).get("to") or ""),
        )
        for alert in alerts
        if alert.kind == Alert.Kind.ATTENDANCE_RETURN and (alert.details or {}).get("from")
    }
    if not runs:
        return {}
    spans = [(date.fromisoformat(f), date.fromisoformat(t or f)) for _, f, t in runs.values()]
    marks: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for pupil_id, day, code in Mark.objects.filter(
        school=school,
        pupil_id__in={pupil for pupil, _, _ in runs.values()},
        date__gte=min(start for start, _ in spans),
        date__lte=max(end for _, end in spans),
    ).values_list("pupil_id", "date", "code"):
        marks[pupil_id].append((day, code))
    codes = {}
    for pk, (pupil_id, first, last) in runs.items():
        start, end = date.fromisoformat(first), date.fromisoformat(last or first)
        codes[pk] = sorted({code for day, code in marks[pupil_id] if start <= day <= end})
    return codes


def _irregular_candidate(entry: ReturnEntry) -> dict[str, Any]:
    pupil = entry.pupil
    flags = [f for f, on in (("in_care", pupil.child_in_care), ("ehcp", pupil.ehcp)) if on]
    since = entry.absence_from.isoformat() if entry.absence_from else ""
    row: dict[str, Any] = {
        "upn": pupil.upn,
        "return_type": ATTENDANCE,
        "absence_from": since,
        "flags": flags or ["none"],
        "_pupil_id": pupil.pk,
        "_name": pupil.display_name,
    }
    return {
        "value": f"entry-{entry.pk}",
        "label": f"{pupil.display_name} ({pupil.upn})",
        "hint": "Fails to attend regularly, in your judgement"
        + (f", since {format_date(since)}" if since else "")
        + (f": {entry.reason}" if entry.reason else ""),
        "row": {k: v for k, v in row.items() if v not in (None, "")},
    }


def return_candidates_for(school: School, today: date) -> list[dict[str, Any]]:
    """Candidates for pathway 3's first step, each {value, label, hint, row}."""
    on_roll = (
        Enrolment.objects.filter(school=school)
        .filter(current_enrolment_filter(today))
        .values("pupil_id")
    )
    alerts = list(
        Alert.objects.filter(
            school=school,
            academic_year=academic_year_of(today),
            cleared_on__isnull=True,
            kind__in=[Alert.Kind.ATTENDANCE_RETURN, Alert.Kind.SICKNESS_RETURN],
            pupil_id__in=on_roll,
        )
        .select_related("pupil")
        .order_by("pupil__surname", "pupil__forename", "kind")
    )
    entries = list(
        ReturnEntry.objects.filter(school=school, pupil_id__in=on_roll).select_related("pupil")
    )
    closed = [e for e in entries if e.status != ReturnEntry.Status.DUE]
    closed_alerts = {e.alert_id for e in closed if e.alert_id is not None}
    closed_episodes = {(e.pupil_id, e.episode_key) for e in closed}
    done = _sent_alerts(school) | closed_alerts
    alerts = [
        a
        for a in alerts
        if a.pk not in done and (a.pupil_id, _alert_episode_key(a)) not in closed_episodes
    ]
    codes = _run_codes(school, alerts)
    candidates = [
        {
            "value": f"alert-{alert.pk}",
            "label": f"{alert.pupil.display_name} ({alert.pupil.upn})",
            "hint": alert_candidate_hint(alert),
            "row": alert_candidate_row(alert, alert.pupil, codes.get(alert.pk, [])),
        }
        for alert in alerts
    ]
    added = sorted(
        (
            e
            for e in entries
            if e.kind == ReturnEntry.Kind.IRREGULAR and e.status == ReturnEntry.Status.DUE
        ),
        key=lambda e: (e.pupil.surname, e.pupil.forename, e.pk),
    )
    return candidates + [_irregular_candidate(entry) for entry in added]
