from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "kpas.site"
    label = "kpas_site"
    verbose_name = "Service (top floor)"
