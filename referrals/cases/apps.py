from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "referrals.cases"
    label = "cases"
    verbose_name = "Casework"
