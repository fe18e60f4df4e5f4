from django.urls import path

from kpas.tsm import views

app_name = "tsm"

urlpatterns = [
    path("", views.diary, name="diary"),
    path("agree-all/", views.agree_all, name="agree_all"),
    path("<int:meeting_id>/", views.meeting, name="meeting"),
    path("<int:meeting_id>/record.pdf", views.record_pdf, name="record_pdf"),
    path("<int:meeting_id>/joint-plan/<str:upn>/", views.joint_plan, name="joint_plan"),
    path("<int:meeting_id>/agree/", views.agree, name="agree"),
    path("<int:meeting_id>/move/", views.move, name="move"),
    path("schools/<str:urn>/termly/", views.ask_termly, name="ask_termly"),
]
