"""The local authority's own world: settings, URLs, the Celery app, areas, teams and officers."""

from kpas.base.celery import app as celery_app

__all__ = ("celery_app",)
