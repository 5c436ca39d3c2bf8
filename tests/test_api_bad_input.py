"""Bad input anywhere the API takes input is a 400 or a 404 (or an empty list for a filter),
never a 500, on SQLite and PostgreSQL alike.

Generated over the OpenAPI document, in the seeded demo, one class of input at a time:
- integers past PostgreSQL's integer and bigint and past SQLite's 64 bits, in every integer
  path parameter, query parameter and (list-of-)integer field of a JSON body;
- a NUL character in every string query parameter and string field of a JSON body;
- dates at the ends of the calendar (0001-01-01, 9999-12-31) in every date parameter and
  date field;
- a JSON body nested ten thousand levels deep, and one nested just past the limit, sent to
  every operation that takes JSON.
"""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from alignment.api.parsers import MAX_JSON_DEPTH
from tests.openapi import openapi_document

VALUES = {
    "integer": [2**31, 2**63, 2**70, -(2**70)],
    "integer-list": [[2**63], [2**70], [1, -(2**70)]],
    "string": ["a\x00b", "\x00"],
    "date": ["0001-01-01", "9999-12-31"],
}
NESTED = {
    "ten thousand levels": "[" * 10_000 + "]" * 10_000,
    "just past the limit": '{"a":' * (MAX_JSON_DEPTH + 1) + "1" + "}" * (MAX_JSON_DEPTH + 1),
}

DOCUMENT = openapi_document()
SLUG = "acme"


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _options(schema: dict) -> list[dict]:
    schema = _resolve(schema)
    return [schema, *(_resolve(option) for option in schema.get("anyOf", schema.get("oneOf", [])))]


def _kind(schema: dict) -> str | None:
    """Which class of bad input a parameter or field of this schema takes."""
    for option in _options(schema):
        if option.get("type") == "integer":
            return "integer"
        if option.get("type") == "array" and any(
            item.get("type") == "integer" for item in _options(option.get("items", {}))
        ):
            return "integer-list"
        if option.get("type") == "string" and option.get("format") in {"date", "date-time"}:
            return "date"
        if option.get("type") == "string" and not option.get("enum") and not option.get("format"):
            return "string"
    return None


def _json_body(operation: dict) -> dict | None:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    return _resolve(content["schema"]) if content else None


def _cases():
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            name = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                kind = _kind(parameter.get("schema", {}))
                if kind and parameter["name"] != "workspace_slug":
                    where = parameter["in"]
                    yield pytest.param(method, path, where, parameter["name"], kind,
                                       id=f"{name} {where}:{parameter['name']} {kind}")  # fmt: skip
            body = _json_body(operation) if method in {"post", "put", "patch"} else None
            for field, schema in (body or {}).get("properties", {}).items():
                kind = _kind(schema)
                if kind and not _resolve(schema).get("readOnly"):
                    yield pytest.param(method, path, "body", field, kind,
                                       id=f"{name} body:{field} {kind}")  # fmt: skip


CASES = list(_cases())
JSON_OPERATIONS = [
    pytest.param(method, path, id=f"{method.upper()} {path}")
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
    if method in {"post", "put", "patch"} and _json_body(operation) is not None
]


@pytest.fixture
def client(demo_token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {demo_token}")
    return client


def _existing_ids(client: APIClient, path: str) -> dict[str, str]:
    """An existing object's id for each `{...}` of `path` but the slug, read from the list
    endpoint above it, so that bodies are validated on a real object."""
    ids: dict[str, str] = {}
    prefix = ""
    for part in re.split(r"(\{[^}]+\})", path):
        match = re.fullmatch(r"\{([^}]+)\}", part)
        if match is None:
            prefix += part
            continue
        name = match.group(1)
        if name == "workspace_slug":
            prefix += SLUG
            continue
        answer = client.get(prefix)
        results = answer.json() if answer.status_code == 200 else []
        if isinstance(results, dict):
            results = results.get("results", [])
        ids[name] = str(results[0]["id"]) if results and "id" in results[0] else "1"
        prefix += ids[name]
    return ids


def _url(path: str, values: dict[str, str]) -> str:
    return re.sub(
        r"\{([^}]+)\}",
        lambda m: SLUG if m.group(1) == "workspace_slug" else values[m.group(1)],
        path,
    )


def _send(client, method: str, url: str, *, params=None, body=None, raw: str | None = None):
    with transaction.atomic():
        send = getattr(client, method)
        if raw is not None:
            answer = send(url, raw, content_type="application/json")
        elif method in {"get", "delete"}:
            answer = send(url, params or {})
        else:
            answer = send(url, body or {}, format="json")
        transaction.set_rollback(True)
    return answer


def test_every_class_of_input_is_generated():
    # The generator finds what it is meant to: ids in URLs, filters and bodies (single and
    # many), text, dates, and the operations that take JSON.
    found = {(case.values[2], case.values[4]) for case in CASES}
    assert {("path", "integer"), ("query", "integer"), ("body", "integer")} <= found
    assert {("body", "integer-list"), ("query", "string"), ("body", "string")} <= found
    assert {("query", "date"), ("body", "date")} <= found
    assert len(CASES) > 300
    assert len(JSON_OPERATIONS) > 40


@pytest.mark.parametrize("method,path,where,name,kind", CASES)
def test_bad_input_is_refused_not_a_500(method, path, where, name, kind, client, db):
    values = _existing_ids(client, path)
    for value in VALUES[kind]:
        params, body, url_values = {}, None, dict(values)
        if where == "path":
            url_values[name] = str(value)
        elif where == "query":
            params[name] = value
        else:
            body = {name: value}
        url = _url(path, url_values)
        answer = _send(client, method, url, params=params, body=body)
        assert answer.status_code < 500, (url, params, body, answer.status_code)
        if where == "path" or kind == "string":
            assert answer.status_code in {400, 404}, (url, params, body, answer.status_code)
        if answer.status_code == 400:
            assert answer.json(), (url, params, body)  # says what was wrong


@pytest.mark.parametrize("method,path", JSON_OPERATIONS)
@pytest.mark.parametrize("body", list(NESTED.values()), ids=list(NESTED))
def test_deeply_nested_json_is_a_400(method, path, body, client, db):
    url = _url(path, _existing_ids(client, path))
    answer = _send(client, method, url, raw=body)
    # 404: the demo has no such object, and a missing object is answered before the body.
    assert answer.status_code in {400, 404}, (url, answer.status_code)
    if answer.status_code == 400:
        assert "nested deeper" in answer.json()["detail"], answer.json()


def test_a_nul_in_a_json_body_is_a_400_naming_it(client, db):
    answer = _send(client, "post", f"/api/v1/workspaces/{SLUG}/products/",
                   body={"name": "Pulse", "tags": {"k\x00": "v"}})  # fmt: skip
    assert answer.status_code == 400
    assert "NUL" in answer.json()["detail"]


def test_a_json_body_over_the_memory_limit_is_a_413(client, db, settings):
    """Django refuses to read a body over DATA_UPLOAD_MAX_MEMORY_SIZE (the default, 10 MB):
    the API answers a 413 naming the limit, not an HTML 400."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = '{"name": "Pulse", "description": "' + "x" * limit + '"}'
    answer = _send(client, "post", f"/api/v1/workspaces/{SLUG}/products/", raw=body)
    assert answer.status_code == 413
    assert "larger than the 10 MB limit" in answer.json()["detail"]
