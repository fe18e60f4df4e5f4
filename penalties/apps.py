from django.apps import AppConfig


class PenaltiesConfig(AppConfig):
    name = "penalties"

    def ready(self) -> None:
        from penalties import checks  # noqa: F401 - registers the settings checks
        from penalties.letters import register_letter_kinds

        register_letter_kinds()
        from penalties.payments_import import register_payment_import

        register_payment_import()
