from django.urls import path

from returns import report_views, signal_views, views

app_name = "returns"

urlpatterns = [
    path("", views.compliance, name="compliance"),
    path("schools/<str:urn>/", views.returns_due, name="due"),
    path("schools/<str:urn>/add/", views.entry_add, name="add"),
    path("entries/<int:pk>/not-needed/", views.entry_not_needed, name="not_needed"),
    path("periods/<int:pk>/nil/", views.period_nil, name="nil"),
    path("reports/", report_views.reports, name="reports"),
    path("off-rolling/", signal_views.signals, name="signals"),
    path("off-rolling/<int:pk>/dismiss/", signal_views.signal_dismiss, name="signal_dismiss"),
]
