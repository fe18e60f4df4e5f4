from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self) -> None:
        from referrals.deletion_facts import cme_enquiries_complete, deletion_returns
        from returns.deletion_facts import cme_source_register, deletion_source_register

        # The off-rolling signals (returns/) read deletion returns and completed CME
        # enquiries through these sources: returns sits below referrals (ADR 0008).
        deletion_source_register("dfd", deletion_returns)
        cme_source_register("dfd", cme_enquiries_complete)
