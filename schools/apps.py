from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Schools and registers"

    def ready(self) -> None:
        # Both registries need the models, so they are filled once the apps are loaded.
        from schools.certificate.documents import register_certificate_kinds
        from schools.imports.kinds import register_school_import_kinds

        register_certificate_kinds()  # the documents pipeline's kinds (kpas/base/documents/)
        register_school_import_kinds()
