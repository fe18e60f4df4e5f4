"""API endpoints of the authority's world: who am I, which schools may I see."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from schools.models import School
from schools.selectors import school_list_for


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField()
    role = serializers.CharField()


class SchoolSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.name")
    area = serializers.CharField(source="district.area.name")

    class Meta:
        model = School
        fields = ["urn", "name", "phase", "school_type", "state_funded", "district", "area"]


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="The signed-in user and their role")
    def get(self, request: Request) -> Response:
        user = request.user
        return Response(
            MeSerializer({"email": user.email, "full_name": user.full_name, "role": user.role}).data
        )


class SchoolListView(generics.ListAPIView):
    """The schools the signed-in user may see."""

    serializer_class = SchoolSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return school_list_for(self.request.user).order_by("urn")  # type: ignore[arg-type]
