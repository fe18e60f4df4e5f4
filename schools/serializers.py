"""Serializers of the registers API: pupils, marks, school statistics and alerts.

They describe read-only shapes (the figures come from `schools.dashboard`);
drf-spectacular documents them in the OpenAPI schema.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from schools.dashboard.school_year import CHARACTERISTIC_KEYS
from schools.models import Alert, Enrolment, Pupil, PupilParent


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


class CharacteristicsSerializer(serializers.Serializer):
    fsm = serializers.BooleanField(help_text="Free school meals")
    sen_support = serializers.BooleanField()
    ehcp = serializers.BooleanField(help_text="Education, health and care plan")
    eal = serializers.BooleanField(help_text="English as an additional language")
    child_in_care = serializers.BooleanField()
    social_worker = serializers.BooleanField(help_text="Has or had a social worker (6 years)")
    grt = serializers.BooleanField(help_text="Gypsy, Roma or Traveller")


class RecentAttendanceSerializer(serializers.Serializer):
    possible = serializers.IntegerField(source="recent_possible")
    attendance = serializers.IntegerField(source="recent_attendance")
    attendance_rate = serializers.SerializerMethodField()

    def get_attendance_rate(self, row: Any) -> float | None:
        return _round(row.recent_rate)


class PupilFiguresSerializer(serializers.Serializer):
    """A pupil on a school's list with this year's figures
    (`schools.dashboard.pupil_lists.PupilFigures`)."""

    upn = serializers.CharField(source="pupil.upn")
    forename = serializers.CharField(source="pupil.forename", help_text="Preferred, else legal")
    surname = serializers.CharField(source="pupil.surname", help_text="Preferred, else legal")
    year_group = serializers.CharField(source="pupil.year_group")
    on_roll = serializers.BooleanField(source="pupil.on_roll")
    characteristics = serializers.SerializerMethodField()
    possible = serializers.IntegerField(help_text="Possible sessions this year to date")
    attendance = serializers.IntegerField(help_text="Present or approved activity")
    authorised = serializers.IntegerField()
    unauthorised = serializers.IntegerField()
    attendance_rate = serializers.SerializerMethodField()
    last_4_weeks = RecentAttendanceSerializer(source="*")
    persistent_absence = serializers.BooleanField()
    severe_absence = serializers.BooleanField()
    at_risk_of_persistent_absence = serializers.BooleanField(source="at_risk")
    penalty_threshold_met_on = serializers.DateField(source="threshold_met_on", allow_null=True)

    def get_attendance_rate(self, row: Any) -> float | None:
        return _round(row.attendance_rate)

    @extend_schema_field(CharacteristicsSerializer)
    def get_characteristics(self, row: Any) -> dict[str, bool]:
        return {key: key in row.pupil.flags for key in CHARACTERISTIC_KEYS}


class ParentSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="parent.title")
    forename = serializers.CharField(source="parent.forename")
    surname = serializers.CharField(source="parent.surname")
    phone = serializers.CharField(source="parent.phone")
    email = serializers.CharField(source="parent.email")
    address_line_1 = serializers.CharField(source="parent.address_line_1")
    address_line_2 = serializers.CharField(source="parent.address_line_2")
    town = serializers.CharField(source="parent.town")
    postcode = serializers.CharField(source="parent.postcode")

    class Meta:
        model = PupilParent
        fields = [
            "title",
            "forename",
            "surname",
            "relationship",
            "parental_responsibility",
            "lives_with_pupil",
            "contact_priority",
            "phone",
            "email",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
        ]


class EnrolmentSerializer(serializers.ModelSerializer):
    urn = serializers.CharField(source="school.urn")
    school_name = serializers.CharField(source="school.name")

    class Meta:
        model = Enrolment
        fields = ["urn", "school_name", "registration", "year_group", "start_date", "end_date"]


# The pupil's own current address: withheld once the pupil has moved on beyond the reader.
PUPIL_ADDRESS_FIELDS = ("address_line_1", "address_line_2", "town", "postcode")


class PupilDetailSerializer(serializers.ModelSerializer):
    """A pupil as one reader may see them: pass `context={"view": PupilView}`
    (`schools.selectors.pupil_view_for`). Only the reader's enrolments; no parents and no
    address when `contacts_visible` is false (issue 10 item 1)."""

    characteristics = serializers.SerializerMethodField()
    contacts_visible = serializers.SerializerMethodField(
        help_text="False when the pupil is no longer on roll at a school you may see and "
        "has moved on: the current address and the parents are then not shown"
    )
    parents = serializers.SerializerMethodField()
    enrolments = serializers.SerializerMethodField(
        help_text="Enrolments at the schools you may see, newest first"
    )

    class Meta:
        model = Pupil
        fields = [
            "upn",
            "forename",
            "surname",
            "preferred_forename",
            "preferred_surname",
            "date_of_birth",
            "gender",
            *PUPIL_ADDRESS_FIELDS,
            "characteristics",
            "previously_looked_after",
            "care_la",
            "known_to_early_help",
            "known_to_social_care",
            "known_to_youth_offending",
            "contacts_visible",
            "parents",
            "enrolments",
        ]

    @extend_schema_field(CharacteristicsSerializer)
    def get_characteristics(self, pupil: Pupil) -> dict[str, bool]:
        return {key: bool(getattr(pupil, key)) for key in CHARACTERISTIC_KEYS}

    def get_contacts_visible(self, pupil: Pupil) -> bool:
        return bool(self.context["view"].contacts_visible)

    @extend_schema_field(ParentSerializer(many=True))
    def get_parents(self, pupil: Pupil) -> list[dict[str, Any]]:
        if not self.context["view"].contacts_visible:
            return []
        links = pupil.parent_links.select_related("parent").order_by("contact_priority", "pk")
        return list(ParentSerializer(links, many=True).data)

    @extend_schema_field(EnrolmentSerializer(many=True))
    def get_enrolments(self, pupil: Pupil) -> list[dict[str, Any]]:
        return list(EnrolmentSerializer(self.context["view"].enrolments, many=True).data)

    def to_representation(self, instance: Pupil) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not self.context["view"].contacts_visible:
            data.update(dict.fromkeys(PUPIL_ADDRESS_FIELDS, ""))
        return dict(data)


class MarkSerializer(serializers.Serializer):
    urn = serializers.CharField()
    date = serializers.DateField()
    session = serializers.ChoiceField(choices=["AM", "PM"])
    code = serializers.CharField()
    category = serializers.CharField(
        help_text="present, approved_activity, authorised, "
        "unauthorised, not_possible or administrative"
    )
    meaning = serializers.CharField()


class PupilMarksSerializer(serializers.Serializer):
    upn = serializers.CharField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    marks = MarkSerializer(many=True)


class RatesSerializer(serializers.Serializer):
    """Whole-group figures (`schools.dashboard.figures.GroupRates`): rates are percentages."""

    pupils = serializers.IntegerField(help_text="Pupils with at least one possible session")
    possible = serializers.IntegerField()
    attendance = serializers.IntegerField()
    authorised = serializers.IntegerField()
    unauthorised = serializers.IntegerField()
    persistent_absentees = serializers.IntegerField()
    severe_absentees = serializers.IntegerField()
    attendance_rate = serializers.SerializerMethodField()
    absence_rate = serializers.SerializerMethodField()
    authorised_rate = serializers.SerializerMethodField()
    unauthorised_rate = serializers.SerializerMethodField()
    persistent_absence_rate = serializers.SerializerMethodField()
    severe_absence_rate = serializers.SerializerMethodField()

    def get_attendance_rate(self, rates: Any) -> float | None:
        return _round(rates.attendance_rate)

    def get_absence_rate(self, rates: Any) -> float | None:
        return _round(rates.absence_rate)

    def get_authorised_rate(self, rates: Any) -> float | None:
        return _round(rates.authorised_rate)

    def get_unauthorised_rate(self, rates: Any) -> float | None:
        return _round(rates.unauthorised_rate)

    def get_persistent_absence_rate(self, rates: Any) -> float | None:
        return _round(rates.persistent_absence_rate)

    def get_severe_absence_rate(self, rates: Any) -> float | None:
        return _round(rates.severe_absence_rate)


class PeriodRatesSerializer(serializers.Serializer):
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    rates = RatesSerializer()


class PublishedFiguresSerializer(serializers.Serializer):
    geography = serializers.CharField()
    education_phase = serializers.CharField()
    time_period = serializers.CharField()
    attendance = serializers.FloatField()
    absence = serializers.FloatField()
    authorised = serializers.FloatField()
    unauthorised = serializers.FloatField()
    persistent_absence = serializers.FloatField()


class BenchmarkSerializer(serializers.Serializer):
    national = PublishedFiguresSerializer(allow_null=True)
    authority = PublishedFiguresSerializer(allow_null=True)
    no_figure_reason = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)
    source = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.source


class GroupCountsSerializer(serializers.Serializer):
    on_roll = serializers.IntegerField()
    severely_absent = serializers.IntegerField()
    persistently_absent = serializers.IntegerField()
    at_risk_of_persistent_absence = serializers.IntegerField()
    met_penalty_threshold = serializers.IntegerField()
    n_codes_awaiting_reason = serializers.IntegerField()
    n_codes_overdue = serializers.IntegerField()


class WeekSerializer(serializers.Serializer):
    monday = serializers.DateField()
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    possible = serializers.IntegerField()
    attendance = serializers.IntegerField()
    authorised = serializers.IntegerField()
    unauthorised = serializers.IntegerField()
    attendance_rate = serializers.SerializerMethodField()

    def get_attendance_rate(self, week: Any) -> float | None:
        return _round(week.attendance_rate)


class CohortSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    rates = RatesSerializer()
    attendance_difference = serializers.SerializerMethodField(
        help_text="Percentage points above (+) or below (-) the whole school"
    )

    def get_attendance_difference(self, cohort: Any) -> float | None:
        return _round(cohort.attendance_difference)


class SchoolStatisticsSerializer(serializers.Serializer):
    urn = serializers.CharField()
    academic_year = serializers.CharField()
    figures_to = serializers.DateField(
        allow_null=True, help_text="The last day with register marks"
    )
    year_to_date = PeriodRatesSerializer(allow_null=True)
    last_4_weeks = PeriodRatesSerializer(allow_null=True)
    benchmark = BenchmarkSerializer()
    pupils = GroupCountsSerializer()
    weeks = WeekSerializer(many=True)
    characteristics = CohortSerializer(many=True)
    year_groups = CohortSerializer(many=True)


class AlertSerializer(serializers.ModelSerializer):
    upn = serializers.CharField(source="pupil.upn")
    pupil_name = serializers.CharField(source="pupil.display_name")
    kind_label = serializers.CharField(source="get_kind_display")
    open = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = [
            "id",
            "kind",
            "kind_label",
            "upn",
            "pupil_name",
            "academic_year",
            "key",
            "details",
            "raised_on",
            "cleared_on",
            "open",
        ]

    def get_open(self, alert: Alert) -> bool:
        return alert.cleared_on is None
