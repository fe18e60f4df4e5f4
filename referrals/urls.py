from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.index, name="index"),
    path("submissions/", views.submissions, name="submissions"),
    path("submissions/<str:reference>/", views.submission_detail, name="submission"),
    path("submissions/<str:reference>/action/", views.submission_action, name="submission_action"),
    path("submissions/<str:reference>/answer/", views.submission_answer, name="submission_answer"),
    path("queue/", views.queue, name="queue"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("<slug:slug>/", views.start, name="start"),
    path("<slug:slug>/<uuid:token>/check/", views.check, name="check"),
    path("<slug:slug>/<uuid:token>/sent/", views.confirmation, name="confirmation"),
    path("<slug:slug>/<uuid:token>/delete/", views.draft_delete, name="delete"),
    path("<slug:slug>/<uuid:token>/<slug:step_slug>/", views.step, name="step"),
]
