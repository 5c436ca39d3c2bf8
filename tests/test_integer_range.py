"""An integer beyond the database's range, anywhere an API operation takes one, is a 400 or
a 404 (or an empty list for a filter), never a 500, on SQLite and PostgreSQL alike.

Generated over the OpenAPI document: every integer path parameter, every integer query
parameter and every integer (or list-of-integer) field of a JSON body, each sent with values
past PostgreSQL's integer and bigint and past SQLite's 64 bits, in the seeded demo.
"""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from tests.openapi import openapi_document

HUGE = [2**31, 2**63, 2**70, -(2**70)]

pytestmark = pytest.mark.xdist_group("integer-range")  # one seeded demo, in one process
DOCUMENT = openapi_document()
SLUG = "acme"


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _is_integer(schema: dict) -> bool:
    schema = _resolve(schema)
    if schema.get("type") == "integer":
        return True
    return any(_is_integer(option) for option in schema.get("anyOf", schema.get("oneOf", [])))


def _is_integer_list(schema: dict) -> bool:
    schema = _resolve(schema)
    return schema.get("type") == "array" and _is_integer(schema.get("items", {}))


def _body_fields(operation: dict) -> list[tuple[str, bool]]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return []
    properties = _resolve(content["schema"]).get("properties", {})
    fields = []
    for name, schema in properties.items():
        if _resolve(schema).get("readOnly"):
            continue
        if _is_integer(schema):
            fields.append((name, False))
        elif _is_integer_list(schema):
            fields.append((name, True))
    return fields


def _cases():
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            name = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                if _is_integer(parameter.get("schema", {})):
                    where = parameter["in"]
                    yield pytest.param(method, path, where, parameter["name"], False,
                                       id=f"{name} {where}:{parameter['name']}")  # fmt: skip
            if method in {"post", "put", "patch"}:
                for field, many in _body_fields(operation):
                    yield pytest.param(method, path, "body", field, many,
                                       id=f"{name} body:{field}")  # fmt: skip


CASES = list(_cases())


def _existing_ids(client: APIClient, path: str) -> dict[str, str]:
    """An existing object's id for each `{...}` of `path` but the slug, read from the list
    endpoint above it, so that body fields are validated on a real object."""
    ids: dict[str, str] = {}
    parts = re.split(r"(\{[^}]+\})", path)
    prefix = ""
    for part in parts:
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


def test_every_integer_input_is_generated():
    # The generator finds the kinds of input that the fix covers: ids in URLs, filters and
    # bodies, single and many.
    kinds = {case.values[2] for case in CASES}
    assert {"path", "query", "body"} <= kinds
    assert any(case.values[4] for case in CASES)  # a list of ids (many-to-many)
    assert len(CASES) > 100


@pytest.mark.parametrize("method,path,where,name,many", CASES)
def test_an_integer_out_of_range_is_refused_not_a_500(method, path, where, name, many,
                                                       demo_token, db):  # fmt: skip
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {demo_token}")
    values = _existing_ids(client, path)
    for huge in HUGE:
        with transaction.atomic():
            params, body, url_values = {}, None, dict(values)
            if where == "path":
                url_values[name] = str(huge)
            elif where == "query":
                params[name] = huge
            else:
                body = {name: [huge] if many else huge}
            url = _url(path, url_values)
            send = getattr(client, method)
            if method == "get" or method == "delete":
                answer = send(url, params)
            else:
                answer = send(url, body or {}, format="json")
            transaction.set_rollback(True)
        assert answer.status_code < 500, (url, params, body, answer.status_code)
        if where == "path":
            assert answer.status_code in {400, 404}, (url, answer.status_code)
        if where == "body" and answer.status_code == 400 and name != "non_field_errors":
            detail = answer.json()
            assert isinstance(detail, dict) and detail, (url, body, detail)
