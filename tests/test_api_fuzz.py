"""Property-based fuzzing of the whole API (schemathesis), in-process against the WSGI app.

Every operation of the OpenAPI schema gets generated requests, as the demo workspace's admin
with a real token: no answer may be a 5xx, and documented responses must match the schema.
`make test` runs FUZZ_EXAMPLES (default 5) examples per operation; `make fuzz` runs more.

The demo is seeded once for the module inside a transaction that is rolled back at its end;
each generated case runs in a savepoint of its own that is rolled back after its answer, so
every case starts from the same seeded workspace. The after-commit work a request schedules
(tasks, recomputes) runs when the request ends, as it does on a real server.
"""

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.db import transaction
from django.test import TestCase
from hypothesis import HealthCheck
from hypothesis import settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.openapi import openapi_document

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


class RolledBackApp:
    """The project's WSGI handler, answering inside the test's transaction: each request's
    after-commit callbacks run when it ends (an error there fails the test, as a 500 would),
    and the connection is not closed between requests as a server would do."""

    def __init__(self):
        self.handler = WSGIHandler()

    def __call__(self, environ, start_response):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return list(self.handler(environ, start_response))


@pytest.fixture(scope="module")
def app():
    return RolledBackApp()


schema = schemathesis.openapi.from_dict(openapi_document())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_operation_fails_or_breaks_its_schema(case, app, demo_token, db):
    if "workspace_slug" in (case.path_parameters or {}):
        # Aim inside the demo workspace, where objects exist, rather than at random slugs.
        case.path_parameters["workspace_slug"] = "acme"
    with transaction.atomic():
        case.call_and_validate(
            app=app,
            base_url="http://testserver",
            headers={"Authorization": f"Token {demo_token}"},
            checks=CHECKS,
        )
        transaction.set_rollback(True)
