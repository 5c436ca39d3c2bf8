"""The API's OpenAPI document, for the tests generated over every operation."""

import functools
import json


def openapi_document() -> dict:
    """The same document /api/schema/ serves, as plain JSON data (a fresh copy per call:
    the modules that read it may change theirs)."""
    return json.loads(_rendered())


@functools.cache
def _rendered() -> bytes:
    """Generated once per test process: the fuzz and bad-input modules both read it."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    document = SchemaGenerator().get_schema(request=None, public=True)
    return OpenApiJsonRenderer().render(document)
