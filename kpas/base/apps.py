from django.apps import AppConfig


class KpasConfig(AppConfig):
    name = "kpas.base"
    label = "kpas"  # the tables and migrations keep the label they were created with
    verbose_name = "Local authority"
