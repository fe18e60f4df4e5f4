"""An alert's details in a sentence, as the pupil record lists them."""

from __future__ import annotations

from datetime import date

from schools.models import Alert


def alert_summary(alert: Alert) -> str:
    """The alert's details in a sentence."""
    details = alert.details or {}
    kind = alert.kind
    if kind == Alert.Kind.PENALTY_THRESHOLD:
        return (
            f"{details.get('sessions', 10)} sessions of unauthorised absence in the "
            f"10 school weeks from {_long(details.get('window_start'))} to "
            f"{_long(details.get('met_on'))} ({details.get('met_session', '')})"
        ).replace(" ()", "")
    if kind in {Alert.Kind.PERSISTENT_ABSENCE, Alert.Kind.SEVERE_ABSENCE}:
        return (
            f"Missed {details.get('absence', '?')} of {details.get('possible', '?')} "
            "possible sessions when raised"
        )
    if kind == Alert.Kind.ATTENDANCE_RETURN:
        return (
            f"{details.get('school_days', '?')} school days of continuous unauthorised "
            f"absence from {_long(details.get('from'))} to {_long(details.get('to'))}"
        )
    if kind == Alert.Kind.SICKNESS_RETURN:
        if "consecutive_school_days" in details:
            return (
                f"{details['consecutive_school_days']} consecutive school days of illness "
                f"from {_long(details.get('from'))}"
            )
        return f"{details.get('illness_school_days', '?')} school days of illness this year"
    if kind == Alert.Kind.OVERDUE_N_CODE:
        date_part, _, session = alert.key.partition(":")
        return (
            f"N recorded for the {'morning' if session == 'AM' else 'afternoon'} of "
            f"{_long(details.get('date') or date_part)} and not replaced within "
            "5 school days"
        )
    return ""


def _long(value: object) -> str:
    try:
        return f"{date.fromisoformat(str(value)):%-d %B %Y}"
    except ValueError:
        return str(value or "?")
