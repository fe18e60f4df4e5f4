from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from kpas.site import subject_access_views, two_factor_views, views
from kpas.site.accessibility import accessibility_statement
from kpas.site.forms import SignInForm

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("schools.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", accessibility_statement, name="accessibility"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("sign-in/code/", two_factor_views.code_step, name="two-factor-code"),
    path("sign-in/set-up-app/", two_factor_views.set_up, name="two-factor-set-up"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            extra_email_context={
                "service_name": settings.SERVICE_NAME,
                "authority_name": settings.AUTHORITY_NAME,
            }
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("dfd/", include("referrals.urls")),
    path("returns/", include("returns.urls")),
    path("meetings/", include("kpas.tsm.urls")),
    path("dashboards/", include("kpas.figures.urls")),
    path("pupils/<str:upn>/forms/", views.pupil_forms, name="pupil-forms"),
    path("penalties/", include("penalties.urls")),
    path("cases/", include("referrals.cases.urls")),
    path("documents/", include("kpas.base.documents.urls")),
    path("subject-access/", subject_access_views.subject_access, name="subject-access"),
    path("admin/", admin.site.urls),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("kpas.site.api_urls")),
]

handler403 = "kpas.site.views.error_403"
handler404 = "kpas.site.views.error_404"
handler500 = "kpas.site.views.error_500"
