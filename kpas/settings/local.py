"""Development on a laptop: DEBUG on unless told otherwise, a throwaway secret key."""

from kpas.settings.base import *  # noqa: F403
from kpas.settings.base import SECRET_KEY, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "insecure-local-development-key-not-for-production"

# Serve static files straight from static/ without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
