"""Request body parsers named in REST_FRAMEWORK settings."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_JSON_DEPTH = 32  # no resource of the API nests deeper than a few levels


def _depth_and_nul(value) -> tuple[int, bool]:
    """How deeply lists and objects nest in `value` (a scalar is 0), and whether a string
    or a key holds a NUL character; without recursion."""
    deepest, nul = 0, False
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, str):
            nul = nul or "\x00" in item
            continue
        if isinstance(item, dict):
            nul = nul or any("\x00" in key for key in item)
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_JSON_DEPTH:
            break
        stack.extend((child, level + 1) for child in children)
    return deepest, nul


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing with a 400 a body nested deeper than MAX_JSON_DEPTH or
    holding a NUL character in a string (PostgreSQL refuses it in text and in jsonb).

    The json module recurses once per level: a small body of ten thousand "[" raises
    RecursionError (a 500), and a body just under that limit would recurse again wherever
    it is validated, rendered or stored."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            data, depth, nul = None, MAX_JSON_DEPTH + 1, False
        else:
            depth, nul = _depth_and_nul(data)
        if depth > MAX_JSON_DEPTH:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels.")
        if nul:
            raise ParseError("JSON parse error - NUL characters (\\u0000) are not allowed.")
        return data
