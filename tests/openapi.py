"""The API's OpenAPI document, for the tests generated over every operation."""

import json


def openapi_document() -> dict:
    """The same document /api/schema/ serves, as plain JSON data."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))
