"""Values every page needs: the service name and the signed-in user's navigation."""

from django.conf import settings
from django.http import HttpRequest

from kpas.site.navigation import navigation_for


def service(request: HttpRequest) -> dict[str, object]:
    return {
        "service_name": settings.SERVICE_NAME,
        "authority_name": settings.AUTHORITY_NAME,
        "navigation": navigation_for(request),
    }
