"""API endpoints of the top floor: who am I."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField()
    role = serializers.CharField()


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="The signed-in user and their role")
    def get(self, request: Request) -> Response:
        user = request.user
        return Response(
            MeSerializer({"email": user.email, "full_name": user.full_name, "role": user.role}).data
        )
