"""The schools app's pages, one URL module (app_name "schools"), included at the root.

The schools a user may see, one school's attendance pages, registration certificates, and
uploading files (a school's own, and the authority's under /imports/).
"""

from django.urls import path, re_path

from schools.views import certificate, dashboard, pupil_record, school_list, uploads

app_name = "schools"

URN = r"(?P<urn>\d{6,8})"
UPN = r"(?P<upn>[A-Za-z0-9]{13})"

urlpatterns = [
    path("schools/", school_list.school_list, name="list"),
    re_path(rf"^schools/{URN}/$", dashboard.school_dashboard, name="school-dashboard"),
    re_path(rf"^schools/{URN}/pupils/$", dashboard.school_pupils, name="school-pupils"),
    re_path(rf"^schools/{URN}/n-codes/$", dashboard.school_n_codes, name="school-n-codes"),
    re_path(rf"^schools/{URN}/pupils/{UPN}/$", pupil_record.pupil_detail, name="pupil-detail"),
    path(
        "schools/<str:urn>/pupils/<str:upn>/certificate/",
        certificate.pupil_certificate,
        name="pupil-certificate",
    ),
    # A school's files: its own staff upload them; anyone who can see the school can read them.
    path("schools/<str:urn>/imports/", uploads.import_history, name="school-imports"),
    path("schools/<str:urn>/imports/upload/", uploads.import_upload, name="school-import-upload"),
    path("schools/<str:urn>/imports/<int:batch_id>/", uploads.import_detail, name="school-import"),
    path(
        "schools/<str:urn>/imports/<int:batch_id>/confirm/",
        uploads.import_confirm,
        name="school-import-confirm",
    ),
    path(
        "schools/<str:urn>/imports/<int:batch_id>/progress/",
        uploads.import_progress,
        name="school-import-progress",
    ),
    # The authority's own files (calendar, schools) for no one school: service administrators.
    path("imports/", uploads.import_history, name="authority-imports"),
    path("imports/upload/", uploads.import_upload, name="authority-import-upload"),
    path("imports/<int:batch_id>/", uploads.import_detail, name="authority-import"),
    path(
        "imports/<int:batch_id>/confirm/", uploads.import_confirm, name="authority-import-confirm"
    ),
    path(
        "imports/<int:batch_id>/progress/",
        uploads.import_progress,
        name="authority-import-progress",
    ),
]
