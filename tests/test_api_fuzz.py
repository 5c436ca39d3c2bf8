"""Property-based fuzzing of the whole API (schemathesis), against a live server.

Every operation of the OpenAPI schema gets generated requests, as the demo workspace's admin
with a real token: no answer may be a 5xx, and documented responses must match the schema.
`make test` runs FUZZ_EXAMPLES (default 5) examples per operation; `make fuzz` runs more.
"""

import json
import os

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.management import call_command
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def seeded_token(transactional_db):
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    admin = get_user_model().objects.get(username="demo-admin")
    return Token.objects.get_or_create(user=admin)[0].key


def _openapi_document() -> dict:
    """The same document /api/schema/ serves, as plain JSON data."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


schema = schemathesis.openapi.from_dict(_openapi_document())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_operation_fails_or_breaks_its_schema(case, live_server, seeded_token):
    if "workspace_slug" in (case.path_parameters or {}):
        # Aim inside the demo workspace, where objects exist, rather than at random slugs.
        case.path_parameters["workspace_slug"] = "acme"
    case.call_and_validate(
        base_url=live_server.url,
        headers={"Authorization": f"Token {seeded_token}"},
        checks=CHECKS,
    )
