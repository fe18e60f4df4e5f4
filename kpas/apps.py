from django.apps import AppConfig


class KpasConfig(AppConfig):
    name = "kpas"
    verbose_name = "Local authority"
