from django.urls import path

from kpas.figures import views

app_name = "figures"

urlpatterns = [path("", views.county_dashboard, name="county")]
