from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "kpas.site"
    label = "kpas_site"
    verbose_name = "Service (top floor)"

    def ready(self) -> None:
        from kpas.site import signals  # noqa: F401  (sign-in and account-disabled receivers)
        from kpas.site.dashboard_sections import register

        register()
