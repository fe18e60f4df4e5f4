from django.apps import AppConfig


class FiguresConfig(AppConfig):
    """Precomputed per-school and per-cohort figures for home pages and dashboards, refreshed
    after each school's nightly evaluation (never aggregated from marks at request time)."""

    name = "kpas.figures"
    label = "figures"
    verbose_name = "Dashboard figures"

    def ready(self) -> None:
        from kpas.figures.services import school_figures_refresh
        from schools.evaluation_hooks import evaluation_hook_register

        evaluation_hook_register("figures", school_figures_refresh)
