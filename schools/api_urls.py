"""The register's API routes, included under /api/v1/ by the top floor."""

from django.urls import path

from schools import api_imports, api_pupils, api_schools

urlpatterns = [
    path("imports/", api_imports.ImportListCreateView.as_view(), name="api-imports"),
    path("imports/<int:batch_id>/", api_imports.ImportDetailView.as_view(), name="api-import"),
    path(
        "imports/<int:batch_id>/confirm/",
        api_imports.ImportConfirmView.as_view(),
        name="api-import-confirm",
    ),
    path("schools/", api_schools.SchoolListView.as_view(), name="api-school-list"),
    path(
        "pupils/<str:upn>/attendance/",
        api_pupils.PupilAttendanceView.as_view(),
        name="api-pupil-attendance",
    ),
    path(
        "schools/<str:urn>/pupils/",
        api_schools.SchoolPupilListView.as_view(),
        name="api-school-pupils",
    ),
    path(
        "schools/<str:urn>/statistics/",
        api_schools.SchoolStatisticsView.as_view(),
        name="api-school-statistics",
    ),
    path(
        "schools/<str:urn>/alerts/",
        api_schools.SchoolAlertListView.as_view(),
        name="api-school-alerts",
    ),
    path("pupils/<str:upn>/", api_pupils.PupilDetailView.as_view(), name="api-pupil"),
    path("pupils/<str:upn>/marks/", api_pupils.PupilMarksView.as_view(), name="api-pupil-marks"),
]
