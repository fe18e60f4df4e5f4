"""The REST API, /api/v1/. Each app contributes its routes here."""

from django.urls import path

from kpas import api
from referrals import api as referrals_api
from schools import api as schools_api
from schools import api_imports

urlpatterns = [
    path("imports/", api_imports.ImportListCreateView.as_view(), name="api-imports"),
    path("imports/<int:batch_id>/", api_imports.ImportDetailView.as_view(), name="api-import"),
    path(
        "imports/<int:batch_id>/confirm/",
        api_imports.ImportConfirmView.as_view(),
        name="api-import-confirm",
    ),
    path("me/", api.MeView.as_view(), name="api-me"),
    path("schools/", api.SchoolListView.as_view(), name="api-school-list"),
    path(
        "pupils/<str:upn>/attendance/",
        schools_api.PupilAttendanceView.as_view(),
        name="api-pupil-attendance",
    ),
    path(
        "schools/<str:urn>/pupils/",
        schools_api.SchoolPupilListView.as_view(),
        name="api-school-pupils",
    ),
    path(
        "schools/<str:urn>/statistics/",
        schools_api.SchoolStatisticsView.as_view(),
        name="api-school-statistics",
    ),
    path(
        "schools/<str:urn>/alerts/",
        schools_api.SchoolAlertListView.as_view(),
        name="api-school-alerts",
    ),
    path("pupils/<str:upn>/", schools_api.PupilDetailView.as_view(), name="api-pupil"),
    path("pupils/<str:upn>/marks/", schools_api.PupilMarksView.as_view(), name="api-pupil-marks"),
    path("referrals/", referrals_api.SubmissionListCreateView.as_view(), name="api-referrals"),
    path(
        "referrals/pathways/", referrals_api.PathwayListView.as_view(), name="api-referral-pathways"
    ),
    path(
        "referrals/<str:reference>/",
        referrals_api.SubmissionDetailView.as_view(),
        name="api-referral",
    ),
]
