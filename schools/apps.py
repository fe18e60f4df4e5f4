from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Schools and registers"

    def ready(self) -> None:
        from schools.certificate.documents import register_certificate_kinds

        register_certificate_kinds()  # the documents pipeline's kinds (kpas/base/documents/)
