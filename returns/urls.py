from django.urls import path

from returns import views

app_name = "returns"

urlpatterns = [
    path("", views.compliance, name="compliance"),
    path("schools/<str:urn>/", views.returns_due, name="due"),
    path("schools/<str:urn>/add/", views.entry_add, name="add"),
    path("entries/<int:pk>/not-needed/", views.entry_not_needed, name="not_needed"),
    path("periods/<int:pk>/nil/", views.period_nil, name="nil"),
]
