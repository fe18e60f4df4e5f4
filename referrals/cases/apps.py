from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "referrals.cases"
    label = "cases"
    verbose_name = "Casework"

    def ready(self) -> None:
        from referrals.cases.documents import register_case_documents

        register_case_documents()  # the documents pipeline's kinds (kpas/base/documents/)

        from referrals.cases.lost_pupils import cme_enquiries_for_lost_pupils
        from schools.lost_pupils import lost_pupils_hook_register

        # A lost-pupil CTF (XXX/XXXX) opens a CME enquiry (schools sits on a lower floor).
        lost_pupils_hook_register("cme-enquiry", cme_enquiries_for_lost_pupils)
