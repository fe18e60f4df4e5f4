"""The OpenAPI schema of the one-pupil attendance report (schools/attendance_report.py):
every key `manage.py attendance_report` prints, with the episode lists (DOMAIN §5, §8)."""

from __future__ import annotations

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

# The report of `schools.attendance_report` (an inline shape: its keys are the contract).
_dates = {
    "date": serializers.DateField(),
    "session": serializers.CharField(),
    "due": serializers.DateField(),
}


def _episodes(name: str) -> serializers.Serializer:
    """Return episodes: runs counted whole, keyed by their first session (DOMAIN §8)."""
    fields: dict[str, serializers.Field] = {
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "school_days": serializers.FloatField(),
        "due": serializers.BooleanField(),
    }
    return inline_serializer(name=name, fields=fields, many=True)


AttendanceReportSerializer = inline_serializer(
    name="AttendanceReport",
    fields={
        "upn": serializers.CharField(),
        "urn": serializers.CharField(),
        "as_of": serializers.DateField(),
        "academic_year": serializers.CharField(),
        "compulsory_school_age": serializers.BooleanField(),
        "sessions": inline_serializer(
            name="SessionCounts",
            fields={
                name: serializers.IntegerField()
                for name in (
                    "possible",
                    "present",
                    "approved_activity",
                    "authorised",
                    "unauthorised",
                    "not_possible",
                )
            },
        ),
        "attendance_rate": serializers.FloatField(allow_null=True),
        "persistent_absence": serializers.BooleanField(),
        "severe_absence": serializers.BooleanField(),
        "penalty_threshold": inline_serializer(
            name="PenaltyThreshold",
            fields={
                "met": serializers.BooleanField(),
                "met_on": serializers.DateField(allow_null=True),
                "met_session": serializers.CharField(allow_null=True),
                "window_start": serializers.DateField(allow_null=True),
                "episodes": inline_serializer(
                    name="PenaltyThresholdEpisode",
                    fields={
                        "met_on": serializers.DateField(),
                        "met_session": serializers.CharField(),
                        "window_start": serializers.DateField(),
                        "sessions": inline_serializer(
                            name="ThresholdSessions",
                            fields={c: serializers.IntegerField() for c in "GNOU"},
                        ),
                    },
                    many=True,
                ),
            },
        ),
        "overdue_n_codes": inline_serializer(name="OverdueN", fields=_dates, many=True),
        "attendance_return": inline_serializer(
            name="AttendanceReturnCheck",
            fields={
                "continuous_unauthorised_school_days": serializers.FloatField(),
                "due": serializers.BooleanField(),
                "episodes": _episodes("AttendanceReturnEpisode"),
            },
        ),
        "sickness_return": inline_serializer(
            name="SicknessReturnCheck",
            fields={
                "illness_school_days": serializers.FloatField(),
                "due": serializers.BooleanField(),
                "episodes": _episodes("SicknessReturnEpisode"),
            },
        ),
    },
)
