"""The referrals tests' small county (teams, schools, staff, a pupil with 10 G), shared by
the workspace tests that start from a request sent through the Digital Front Door."""

from tests.referrals.conftest import private_media, world  # noqa: F401 - fixtures
