from django.apps import AppConfig


class TsmConfig(AppConfig):
    """Targeting Support Meetings (DOMAIN §12): the authority's own feature, on the middle
    floor beside penalties and returns."""

    name = "kpas.tsm"
    label = "tsm"
    verbose_name = "Targeting Support Meetings"

    def ready(self) -> None:
        from kpas.tsm.record import register_record_kind

        register_record_kind()
