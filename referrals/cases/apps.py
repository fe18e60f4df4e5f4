from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "referrals.cases"
    label = "cases"
    verbose_name = "Casework"

    def ready(self) -> None:
        from referrals.cases.documents import register_case_documents

        register_case_documents()  # the documents pipeline's kinds (kpas/base/documents/)
