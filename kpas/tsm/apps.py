from django.apps import AppConfig


class TsmConfig(AppConfig):
    """Targeting Support Meetings (DOMAIN §12): the authority's own feature, on the middle
    floor beside penalties and returns."""

    name = "kpas.tsm"
    label = "tsm"
    verbose_name = "Targeting Support Meetings"
