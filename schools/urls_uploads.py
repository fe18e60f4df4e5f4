"""Pages for registration certificates and for uploading files in the browser.

Included from kpas/urls.py at the root, beside schools/urls.py (the dashboard's).
"""

from django.urls import path

from schools.views import certificate, uploads

urlpatterns = [
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
