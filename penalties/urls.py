from django.urls import path

from penalties import views

app_name = "penalties"

urlpatterns = [
    path("", views.request_list, name="requests"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/decide/", views.request_decide, name="decide"),
    path("notices/", views.notice_list, name="notices"),
    path("reports/", views.reports, name="reports"),
    path("schools/<str:urn>/pupils/<str:upn>/notice-to-improve/", views.improve, name="improve"),
    path("notices/batch/", views.batch, name="batch"),
    path("notices/<str:reference>/", views.notice_detail, name="notice"),
    path("notices/<str:reference>/action/", views.notice_action, name="notice-action"),
    path("notices/<str:reference>/letter/", views.notice_letter, name="letter"),
]
