"""Issue 15 item 2: hostile requests answer 400 with a clear message, never 500 — NUL bytes
in a query or form, absurd dates, deeply nested or huge JSON bodies."""

from __future__ import annotations

import pytest

from kpas.base.roles import Role
from schools.models import SchoolMembership
from tests.factories import UserFactory
from tests.factories.register import pupil_at, school_with_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(client):  # type: ignore[no-untyped-def]
    school = school_with_terms(urn="118001", name="Oakfield Primary School")
    pupil_at(school)
    user = UserFactory(role=Role.HEADTEACHER)
    SchoolMembership.objects.create(user=user, school=school)
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/schools/118001/pupils/?q=%00",
        "/api/v1/schools/118001/pupils/?year_group=4%00",
        "/api/v1/schools/118001/pupils/?as_of=0001-01-01",
        "/api/v1/schools/118001/pupils/?as_of=9999-12-31",
        "/api/v1/schools/118001/statistics/?as_of=9999-12-31",
        "/api/v1/schools/118001/statistics/?as_of=0001-01-01",
        "/api/v1/schools/118001/alerts/?upn=%00",
        "/api/v1/imports/?school=%00",
        "/api/v1/schools/%00/pupils/",
        "/schools/118001/pupils/?q=%00",
        "/schools/118001/?as_of=9999-12-31",
    ],
)
def test_hostile_queries_are_400_or_404_never_500(head, client, url: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code in (200, 400, 404), (response.status_code, response.content[:300])
    if "%00" in url:
        assert response.status_code == 400 and b"NUL character" in response.content


def test_deeply_nested_json_is_400(head, client) -> None:  # type: ignore[no-untyped-def]
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/referrals/", body, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert "nested" in response.json()["detail"]


def test_json_with_a_nul_is_400(head, client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/api/v1/referrals/", '{"pathway": "x\\u0000"}', content_type="application/json"
    )
    assert response.status_code == 400, response.content[:300]
    assert "NUL" in response.json()["detail"]


def test_the_parser_bounds_depth_and_nul_without_recursion() -> None:
    import io

    from rest_framework.exceptions import ParseError

    from kpas.base.api_parsers import HAS_NUL, TOO_DEEP, BoundedJSONParser

    parser = BoundedJSONParser()
    assert parser.parse(io.BytesIO(b'{"a": [[["ok"]]]}')) == {"a": [[["ok"]]]}
    for body, message in (
        (b"[" * 21 + b"]" * 21, TOO_DEEP),
        (b"[" * 100_000 + b"]" * 100_000, TOO_DEEP),
        (b'{"k\\u0000": 1}', HAS_NUL),
    ):
        with pytest.raises(ParseError) as error:
            parser.parse(io.BytesIO(body))
        assert str(error.value.detail) == message
