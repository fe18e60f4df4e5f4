"""Penalty notices' API routes, included under /api/v1/ by the top floor."""

from django.urls import path

from penalties import api

urlpatterns = [
    path(
        "pupils/<str:upn>/penalty-check/",
        api.PenaltyCheckView.as_view(),
        name="api-pupil-penalty-check",
    ),
]
