from datetime import date

from django.apps import AppConfig


def _refresh_after_evaluation(*, school_id: int, as_of: date) -> None:
    # Imported when first run: loading the app must not load NumPy (tests/referrals/test_layout).
    from kpas.figures.services import school_figures_refresh

    school_figures_refresh(school_id=school_id, as_of=as_of)


class FiguresConfig(AppConfig):
    """Precomputed per-school and per-cohort figures for home pages and dashboards, refreshed
    after each school's nightly evaluation (never aggregated from marks at request time)."""

    name = "kpas.figures"
    label = "figures"
    verbose_name = "Dashboard figures"

    def ready(self) -> None:
        from schools.evaluation_hooks import evaluation_hook_register

        evaluation_hook_register("figures", _refresh_after_evaluation)
