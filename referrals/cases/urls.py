from django.urls import path

from referrals.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/note/", views.case_note, name="note"),
    path("<int:pk>/allocate/", views.case_reallocate, name="allocate"),
    path("<int:pk>/document/<str:kind>/", views.case_document, name="document"),
    path("<int:pk>/<slug:action>/", views.case_move, name="move"),
]
