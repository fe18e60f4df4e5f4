from django.apps import AppConfig
from django.db.models.signals import post_migrate


class KpasConfig(AppConfig):
    name = "kpas.base"
    label = "kpas"  # the tables and migrations keep the label they were created with
    verbose_name = "Local authority"

    def ready(self) -> None:
        from kpas.base import db_grants, sign_in_audit

        sign_in_audit.connect()
        post_migrate.connect(db_grants.on_post_migrate, sender=self)
