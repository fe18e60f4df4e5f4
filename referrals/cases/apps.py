from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "referrals.cases"
    label = "cases"
    verbose_name = "Casework"

    def ready(self) -> None:
        from referrals.cases.documents import register_case_documents

        register_case_documents()  # the documents pipeline's kinds (kpas/base/documents/)

        from schools.lost_pupils import lost_pupils_hook_register

        # A lost-pupil CTF (XXX/XXXX) opens a CME enquiry (schools sits on a lower floor).
        lost_pupils_hook_register("cme-enquiry", _cme_enquiries_for_lost_pupils)


def _cme_enquiries_for_lost_pupils(report, **kwargs):  # type: ignore[no-untyped-def]
    """The hook, loading casework's services only when a lost-pupil CTF arrives: start-up
    stays free of the pathways and NumPy (tests/referrals/test_layout.py)."""
    from referrals.cases.lost_pupils import cme_enquiries_for_lost_pupils

    return cme_enquiries_for_lost_pupils(report, **kwargs)
