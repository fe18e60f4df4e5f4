"""API shapes for Digital Front Door submissions."""

from __future__ import annotations

from rest_framework import serializers

from referrals.models import Submission, SubmissionEvent
from referrals.pathway_names import PathwayName


class SubmissionCreateSerializer(serializers.Serializer):
    pathway = serializers.ChoiceField(choices=PathwayName.choices, help_text="The pathway's slug.")
    answers = serializers.DictField(
        help_text="The answers, keyed by question name (see GET /api/v1/referrals/pathways/). "
        "Dates as YYYY-MM-DD, yes-or-no questions as true/false, checkboxes as lists, lists "
        "of items as lists of objects. Reasons for conditions that allow one go in "
        '"_reasons": {"<condition id>": "<reason>"}.'
    )


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.full_name", default=None)

    class Meta:
        model = SubmissionEvent
        fields = ["kind", "message", "actor", "occurred_at"]


class SubmissionListSerializer(serializers.ModelSerializer):
    school_urn = serializers.CharField(source="school.urn", default=None)
    team = serializers.CharField(source="team.slug", default=None)
    allocated_officer = serializers.CharField(source="allocated_officer.full_name", default=None)

    class Meta:
        model = Submission
        fields = [
            "reference",
            "pathway",
            "status",
            "school_urn",
            "pupil_upn",
            "pupil_name",
            "team",
            "allocated_officer",
            "submitted_at",
        ]


class SubmissionDetailSerializer(SubmissionListSerializer):
    events = EventSerializer(many=True, read_only=True)
    copied_to = serializers.SlugRelatedField(
        source="copied_teams", slug_field="slug", many=True, read_only=True
    )

    class Meta(SubmissionListSerializer.Meta):
        fields = [
            *SubmissionListSerializer.Meta.fields,
            "source",
            "copied_to",
            "answers",
            "conditions",
            "register_snapshot",
            "outcome",
            "events",
        ]


class ValidationErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.CharField(), help_text="Question name (or list item) -> message."
    )
    conditions = serializers.ListField(child=serializers.DictField())


class PathwaySerializer(serializers.Serializer):
    slug = serializers.CharField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    steps = serializers.ListField(child=serializers.DictField())
    requirements = serializers.ListField(child=serializers.DictField())
