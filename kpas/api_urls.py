"""The REST API, /api/v1/. Each app contributes its routes here."""

from django.urls import path

from kpas import api
from schools import api as schools_api

urlpatterns = [
    path("me/", api.MeView.as_view(), name="api-me"),
    path("schools/", api.SchoolListView.as_view(), name="api-school-list"),
    path(
        "pupils/<str:upn>/attendance/",
        schools_api.PupilAttendanceView.as_view(),
        name="api-pupil-attendance",
    ),
]
