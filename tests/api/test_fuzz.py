"""schemathesis over the whole OpenAPI schema, as a startup, a reviewer and a
manager in turn: no 5xx, no response outside the schema, no status code the
schema does not document."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.authz.world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ROLES = ("owner", "reviewer", "manager")
EXAMPLES_PER_OPERATION = 25


@pytest.fixture
def api_schema():
    # The WSGI handler closes the connection after each request, as in
    # production; here the test's transaction lives on it, so keep it open as
    # Django's own test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens():
    """A token per role, in a world where every endpoint has something to find."""
    world = build_world()
    return {role: Token.objects.create(user=world.users[role]).key for role in ROLES}


def fuzz(operation, tokens: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def each_case(case):
        for role in ROLES:
            headers = {"Authorization": f"Token {tokens[role]}"}
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)

    each_case()


def test_every_operation_answers_within_its_schema(api_schema, tokens):
    failures = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    for operation in operations:
        try:
            fuzz(operation, tokens)
        except (Exception, BaseExceptionGroup) as error:
            failures.append(f"{operation.label}: {str(error)[:1500]}")

    assert len(operations) > 40
    assert failures == []
