"""Issue 15 item 2: schemathesis drives every API endpoint in the OpenAPI schema
(drf-spectacular, docs/api.md) for every role, through the real WSGI application: no 5xx,
and every response matches the schema. Examples are bounded so it runs in CI in minutes."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from kpas.base.roles import SCHOOL_ROLES, Role
from kpas.wsgi import application
from schools.models import SchoolMembership
from tests.factories import UserFactory
from tests.factories.register import fill, pupil_at, school_with_terms

EXAMPLES_PER_OPERATION = 3
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def tokens(db: None) -> dict[str, str]:
    """One account per role, in scope of a school with a pupil and a week of marks."""
    from datetime import date

    school = school_with_terms(urn="118001", name="Oakfield Primary School")
    pupil = pupil_at(school)
    fill(school, pupil, date(2025, 9, 8), date(2025, 9, 12))
    keys = {}
    for role in Role:
        user = UserFactory(role=role)
        if role in SCHOOL_ROLES:
            SchoolMembership.objects.create(user=user, school=school)
        if role == Role.ATTENDANCE_OFFICER:
            school.attendance_officer = user
            school.save(update_fields=["attendance_officer"])
        keys[role.value] = Token.objects.create(user=user).key
    return keys


def driver(operation: Any, headers: dict[str, str]) -> Any:
    """A bounded Hypothesis run of one operation with one account's token."""

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def drive(case: Any) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)

    return drive


@pytest.fixture
def keep_connection() -> Any:
    """As Django's test client does: the WSGI handler must not close the test's database
    connection (and its transaction) at the end of each request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_connection")
def test_every_endpoint_for_every_role_never_5xx_and_matches_the_schema(
    tokens: dict[str, str],
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    failures: list[str] = []
    for role, key in tokens.items():
        headers = {"Authorization": f"Token {key}"}
        for operation in operations:
            drive = driver(operation, headers)
            try:
                drive()
            except (Exception, BaseExceptionGroup) as exc:  # collect all, then report
                failures.append(f"{role} {operation.label}: {str(exc)[:300]}")
    assert not failures, "\n\n".join(failures)
