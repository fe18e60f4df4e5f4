from django.apps import AppConfig


class PenaltiesConfig(AppConfig):
    name = "penalties"

    def ready(self) -> None:
        from penalties import checks  # noqa: F401 - registers the settings checks
        from penalties.letters import register_letter_kinds

        register_letter_kinds()
        from penalties.payments_import import register_payment_import

        register_payment_import()
        from penalties.parents_import import register_parents_import

        register_parents_import()
        from penalties.improvement import pupil_panel, register_improvement_kind
        from schools.panels import PUPIL_RECORD, Panel, panel_register

        register_improvement_kind()
        panel_register(
            page=PUPIL_RECORD,
            panel=Panel("notices_to_improve", "penalties/panels/improvement.html", pupil_panel),
        )
