"""The register's API routes, included under /api/v1/ by the top floor."""

from django.urls import path

from schools import api, api_imports

urlpatterns = [
    path("imports/", api_imports.ImportListCreateView.as_view(), name="api-imports"),
    path("imports/<int:batch_id>/", api_imports.ImportDetailView.as_view(), name="api-import"),
    path(
        "imports/<int:batch_id>/confirm/",
        api_imports.ImportConfirmView.as_view(),
        name="api-import-confirm",
    ),
    path("schools/", api.SchoolListView.as_view(), name="api-school-list"),
    path(
        "pupils/<str:upn>/attendance/",
        api.PupilAttendanceView.as_view(),
        name="api-pupil-attendance",
    ),
    path("schools/<str:urn>/pupils/", api.SchoolPupilListView.as_view(), name="api-school-pupils"),
    path(
        "schools/<str:urn>/statistics/",
        api.SchoolStatisticsView.as_view(),
        name="api-school-statistics",
    ),
    path("schools/<str:urn>/alerts/", api.SchoolAlertListView.as_view(), name="api-school-alerts"),
    path("pupils/<str:upn>/", api.PupilDetailView.as_view(), name="api-pupil"),
    path("pupils/<str:upn>/marks/", api.PupilMarksView.as_view(), name="api-pupil-marks"),
]
