from django.urls import path

from kpas.base.documents import views

app_name = "documents"

urlpatterns = [
    path("<uuid:public_id>/", views.document_progress, name="progress"),
    path("<uuid:public_id>/download/", views.document_download, name="download"),
]
