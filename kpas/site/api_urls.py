"""The REST API, /api/v1/: each app owns its routes; the top floor composes them."""

from django.urls import include, path

from kpas.site import api

urlpatterns = [
    path("me/", api.MeView.as_view(), name="api-me"),
    path("", include("schools.api_urls")),
    path("", include("penalties.api_urls")),
    path("", include("referrals.api_urls")),
]
