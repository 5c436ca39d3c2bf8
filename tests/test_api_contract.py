"""The REST contract of API.md: every fixed path and field exists in the OpenAPI schema.

Integrations rely on these names; a rename or a dropped field fails here. The schema is
generated from the code (drf-spectacular), and must validate without warnings.
"""

import json
import re

import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from tests.contract import FIELDS

W = "/api/v1/workspaces/{}/"

PATHS = [
    "/api/v1/auth/token/",
    "/api/v1/workspaces/",
    "/api/v1/workspaces/{}/",
    "/api/v1/invitations/",
    "/api/v1/invitations/{}/accept/",
    "/api/v1/invitations/{}/decline/",
    *[
        W + resource
        for resource in [
            "members/",
            "invitations/",
            "invitations/{}/",
            "products/",
            "features/",
            "personas/",
            "segments/",
            "studies/",
            "insights/",
            "opportunities/",
            "competitors/",
            "objectives/",
            "claims/",
            "documents/",
            "feedback/",
            "launches/",
            "launches/{}/tasks/",
            "launches/{}/milestones/",
            "campaigns/",
            "releases/",
            "calendar/",
            "calendar/conflicts/",
            "calendar.ics",
            "imports/",
            "metrics/campaign/",
            "metrics/usage/",
            "kpis/",
            "dashboard/",
            "diagnostics/",
            "opportunities/{}/evidence/",
            "opportunities/{}/evidence/{}/",
            "opportunities/{}/status/",
            "claims/{}/submit/",
            "claims/{}/review/",
            "documents/{}/submit/",
            "documents/{}/review/",
            "launch-templates/",
            "imports/{}/errors.csv",
            "diagnostics/{}/",
            # Collaboration
            "notifications/",
            "notifications/read/",
            "comments/",
            "webhooks/",
            "webhooks/{}/deliveries/",
            "webhooks/{}/test/",
            "inbound-hooks/",
            "inbound-hooks/rotate/",
            # Evidence to roadmap
            "insights/{}/similar/",
            "insights/{}/highlights/",
            "themes/",
            "themes/{}/",
            "themes/recompute/",
            "roadmap/",
            "search/",
        ]
    ],
    "/api/v1/hooks/{}/{}/",
]


def _normalise(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


@pytest.fixture(scope="module")
def schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _list_item_properties(schema, path):
    operation = schema["paths"][path]["get"]
    body = _resolve(schema, operation["responses"]["200"]["content"]["application/json"]["schema"])
    if "results" in body.get("properties", {}):
        body = _resolve(schema, body["properties"]["results"]["items"])
    elif body.get("type") == "array":
        body = _resolve(schema, body["items"])
    return body["properties"]


@pytest.mark.parametrize("path", PATHS)
def test_every_contract_path_exists(schema, path):
    assert path in {_normalise(p) for p in schema["paths"]}, path


@pytest.mark.parametrize("resource,fields", list(FIELDS.items()), ids=list(FIELDS))
def test_fixed_fields_keep_their_names(schema, resource, fields):
    if resource.startswith("/"):
        path = resource
    else:
        path = "/api/v1/workspaces/" if resource == "workspaces/" else W + resource
    actual = {_normalise(p): p for p in schema["paths"]}[path]
    properties = _list_item_properties(schema, actual)
    assert set(fields) <= set(properties), sorted(set(fields) - set(properties))


def test_members_post_answers_202_with_the_same_body_for_every_name(schema):
    # Invitations (API.md): 202 alike for known and unknown names, never a 201 or 400 "no
    # such user" that would tell which names are accounts.
    responses = schema["paths"][W.format("{workspace_slug}") + "members/"]["post"]["responses"]
    assert set(responses) == {"202"}
    body = _resolve(schema, responses["202"]["content"]["application/json"]["schema"])
    assert {"detail", "username", "role"} <= set(body["properties"])


def test_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))


def test_the_roadmap_has_its_three_columns(schema):
    path = {_normalise(p): p for p in schema["paths"]}[W + "roadmap/"]
    operation = schema["paths"][path]["get"]
    body = _resolve(schema, operation["responses"]["200"]["content"]["application/json"]["schema"])
    assert {"now", "next", "later"} <= set(body["properties"])
